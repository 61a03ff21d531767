/**
 * The VS Code side of the live cluster, kept thin: settings and kubeconfig files in, the Clusters
 * model out; pushes the cluster's CRDs to the language server; tracks the workspace's Git HEAD.
 * One instance per extension activation, owned by its FluxContext (context.ts) and shared by the
 * views and the commands.
 */
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { dirname, basename } from 'node:path';
import { CurrentClusterNotification, ImagePoliciesNotification, LiveCrdsNotification } from '../../../../server/src/protocol';
import { imagePolicyStatuses } from '../model/imagePolicies';
import type { FluxContext } from '../../context';
import { systemClock } from '../connection/clock';
import { Clusters, type ClusterSettings } from '../connection/clusters';
import type { ContextSession } from '../connection/contextSession';
import { liveCrds } from '../connection/discovery';
import { readGitHead, type GitHead } from '../model/gitHead';
import { kubeconfigFiles } from '../connection/kubeconfig';
import { Listeners } from '../connection/listeners';
import type { ObjectRef } from '../connection/objects';

export const SETTINGS = 'fluxGitops.cluster';

export function clusterSettings(): ClusterSettings {
  const c = vscode.workspace.getConfiguration(SETTINGS);
  return { contexts: c.get<string[]>('contexts', []), namespaces: c.get<string[]>('namespaces', []) };
}

export class ClusterFeature implements vscode.Disposable {
  readonly clusters = new Clusters(systemClock);
  head: GitHead | undefined;
  readonly headChanged = new Listeners<GitHead | undefined>();
  private readonly disposables: vscode.Disposable[] = [];
  private fileWatchers: vscode.Disposable[] = [];
  private crdsSentFor = new WeakSet<ContextSession>();
  private stopFollowingCrds: (() => void) | undefined;
  private crdsTimer: NodeJS.Timeout | undefined;
  /** Views that show objects' states, each able to show an object's current state at once. */
  private readonly outcomeViews = new Set<(acted: ObjectRef) => Promise<void>>();

  constructor(private readonly ctx: Pick<FluxContext, 'client' | 'log'>) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(`${SETTINGS}.contexts`) || e.affectsConfiguration(`${SETTINGS}.namespaces`)) this.reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.readHead()),
    );
    this.clusters.changed.on((session) => {
      void this.updateContextKeys();
      if (session?.state === 'ready') void this.sendCrds(session);
      if (session === this.clusters.sessions[0]) this.schedulePolicies(session);
    });
    this.watchGit();
    this.reload();
    void this.readHead();
  }

  /** (Re)reads the kubeconfig files and restarts every session. */
  reload(): void {
    const files = kubeconfigFiles(process.env, homedir());
    this.ctx.log.info(`cluster: kubeconfig ${files.length ? files.join(', ') : '(none found)'}`);
    this.clusters.load(files, clusterSettings());
    const state = this.clusters.state;
    if (state.kind === 'invalid') this.ctx.log.warn(`cluster: ${state.message}`);
    if (state.kind === 'loaded') for (const e of state.errors) this.ctx.log.warn(`cluster: ${e}`);
    this.crdsSentFor = new WeakSet();
    const first = this.clusters.sessions[0];
    // The server uses the CRDs it cached from this context until the live ones arrive.
    const current = { context: first?.context ?? null };
    this.whenServerRuns(() => this.ctx.client.sendNotification(CurrentClusterNotification, current)).catch((e: Error) => this.ctx.log.warn(`cluster: ${e.message}`));
    // CRDs installed or upgraded later reach the server too (after the burst of changes ends).
    this.stopFollowingCrds?.();
    clearTimeout(this.crdsTimer);
    this.stopFollowingCrds = first?.crdsChanged.on(() => {
      clearTimeout(this.crdsTimer);
      this.crdsTimer = setTimeout(() => {
        this.crdsSentFor.delete(first);
        void this.sendCrds(first);
      }, 2000);
    });
    this.watchKubeconfigFiles(files);
  }

  private watchKubeconfigFiles(files: readonly string[]): void {
    for (const w of this.fileWatchers) w.dispose();
    this.fileWatchers = files.map((file) => {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
      let timer: NodeJS.Timeout | undefined;
      const changed = () => {
        clearTimeout(timer);
        timer = setTimeout(() => this.reload(), 500);
      };
      watcher.onDidChange(changed);
      watcher.onDidCreate(changed);
      watcher.onDidDelete(changed);
      return watcher;
    });
  }

  private async updateContextKeys(): Promise<void> {
    const sessions = this.clusters.sessions;
    const state =
      this.clusters.state.kind !== 'loaded' ? this.clusters.state.kind : sessions.length && sessions.every((s) => s.state === 'noFlux') ? 'noFlux' : 'loaded';
    await vscode.commands.executeCommand('setContext', 'fluxGitops.cluster.state', state);
  }

  /** The first shown context's CRDs become the server's live schema source (once per connection). */
  private async sendCrds(session: ContextSession): Promise<void> {
    if (session !== this.clusters.sessions[0] || this.crdsSentFor.has(session)) return;
    this.crdsSentFor.add(session);
    try {
      const crds = await liveCrds(session.api);
      await this.whenServerRuns(() => this.ctx.client.sendNotification(LiveCrdsNotification, { context: session.context, crds }));
      this.ctx.log.info(`cluster: sent ${crds.length} CRDs from ${session.context} to the language server`);
    } catch (e) {
      this.ctx.log.warn(`cluster: cannot read CRDs from ${session.context}: ${(e as Error).message}`);
    }
  }

  /** Sends now if the language server runs, else once it does. */
  private async whenServerRuns(send: () => Promise<void>): Promise<void> {
    if (this.ctx.client.isRunning()) return send();
    const once = this.ctx.client.onDidChangeState(() => {
      if (!this.ctx.client.isRunning()) return;
      once.dispose();
      void send();
    });
  }

  private policiesTimer: NodeJS.Timeout | undefined;
  private policiesSent = '';

  /** The first context's ImagePolicy results, for marker hovers: coalesced, sent only when they changed. */
  private schedulePolicies(session: ContextSession): void {
    this.policiesTimer ??= setTimeout(() => {
      this.policiesTimer = undefined;
      const params = { context: session.context, policies: imagePolicyStatuses(session.objectsOf('ImagePolicy')) };
      const text = JSON.stringify(params);
      if (text === this.policiesSent || !this.ctx.client.isRunning()) return;
      this.policiesSent = text;
      void this.ctx.client.sendNotification(ImagePoliciesNotification, params);
    }, 500);
  }

  /** A view registers how it shows `acted`'s current state at once (skipping its coalescing); returns the unregistration. */
  showOutcomesIn(show: (acted: ObjectRef) => Promise<void>): () => void {
    this.outcomeViews.add(show);
    return () => this.outcomeViews.delete(show);
  }

  /** Brings every view up to date on the object an action acted on, before the action's outcome is reported. */
  async beforeOutcome(acted: ObjectRef): Promise<void> {
    await Promise.all([...this.outcomeViews].map((show) => show(acted)));
  }

  private watchGit(): void {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.git/{HEAD,packed-refs,refs/heads/**}'));
    const changed = () => void this.readHead();
    watcher.onDidChange(changed);
    watcher.onDidCreate(changed);
    watcher.onDidDelete(changed);
    this.disposables.push(watcher);
  }

  private async readHead(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    this.head = folder ? await readGitHead(folder.uri.fsPath) : undefined;
    this.headChanged.emit(this.head);
  }

  dispose(): void {
    clearTimeout(this.policiesTimer);
    clearTimeout(this.crdsTimer);
    for (const d of [...this.disposables, ...this.fileWatchers]) d.dispose();
    this.clusters.dispose();
  }
}
