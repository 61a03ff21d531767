/**
 * The live-cluster commands (tree context menu, CodeLens, command palette). Each takes a tree node
 * or an ObjectArg; from the palette, without one, it asks with a quick pick of every Flux object.
 */
import * as vscode from 'vscode';
import type { CommandSpec } from '../../commands';
import type { FluxContext } from '../../context';
import { FindObjectsRequest } from '../../../../server/src/protocol';
import { reconcile, resume, suspend, type ActionOptions } from '../model/actions';
import type { ClusterFeature } from './clusterFeature';
import { systemClock } from '../connection/clock';
import { shortRevisionOf, STATE_LABELS, statusAge } from '../model/describe';
import { fluxKindInfo, groupOf, isReconcilable } from '../connection/fluxKinds';
import { isSuspended, type KubeObject, type ObjectRef } from '../connection/objects';
import { apiVersionOf, type InventoryEntry } from '../model/inventory';
import type { ReconcileMode } from '../model/patches';
import { summarize } from '../model/status';
import type { Outcome } from '../model/wait';
import { liveUri } from './liveDocumentProvider';
import { kubeconfigFiles, loadKubeConfig } from '../connection/kubeconfig';
import { homedir } from 'node:os';
import type { Location } from 'vscode-languageserver-protocol';
import type { Grouping } from './fluxTreeModel';

/** What the CodeLens passes; tree nodes of type 'object' carry the same fields. */
export interface ObjectArg extends ObjectRef {
  /** Set for inventory entries, which the watches do not hold. */
  readonly apiVersion?: string;
}

interface Located {
  readonly context: string;
  readonly obj: KubeObject;
}

function asObjectArg(arg: unknown): ObjectArg | undefined {
  const a = arg as (Partial<ObjectArg> & { type?: string; entry?: InventoryEntry }) | undefined;
  if (a?.type === 'resource' && a.entry && a.context) {
    return { context: a.context, kind: a.entry.kind, namespace: a.entry.namespace || undefined, name: a.entry.name, apiVersion: apiVersionOf(a.entry) };
  }
  if (a && typeof a.context === 'string' && typeof a.kind === 'string' && typeof a.name === 'string') return { context: a.context, kind: a.kind, namespace: a.namespace, name: a.name };
  return undefined;
}

async function pickObject(feature: ClusterFeature, title: string, filter: (o: KubeObject) => boolean): Promise<Located | undefined> {
  const items: (vscode.QuickPickItem & { located: Located })[] = [];
  for (const session of feature.clusters.sessions) {
    for (const obj of session.all().filter(filter)) {
      const summary = summarize(obj, fluxKindInfo(groupOf(obj.apiVersion), obj.kind)?.statusless);
      items.push({
        label: `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`,
        description: [STATE_LABELS[summary.state], shortRevisionOf(obj), statusAge(obj, Date.now())].filter(Boolean).join(' · '),
        detail: feature.clusters.sessions.length > 1 ? session.context : summary.message,
        located: { context: session.context, obj },
      });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No Flux objects in the shown clusters.');
    return undefined;
  }
  items.sort((a, b) => a.label.localeCompare(b.label));
  const picked = await vscode.window.showQuickPick(items, { title, matchOnDescription: true, matchOnDetail: true });
  return picked?.located;
}

async function locate(feature: ClusterFeature, arg: unknown, title: string, filter: (o: KubeObject) => boolean): Promise<Located | undefined> {
  const a = asObjectArg(arg);
  if (!a) return pickObject(feature, title, filter);
  const obj = feature.clusters.session(a.context)?.get(a.kind, a.namespace, a.name);
  if (!obj) void vscode.window.showWarningMessage(`${a.kind} ${a.namespace ? `${a.namespace}/` : ''}${a.name} is not in context ${a.context} (any more).`);
  return obj ? { context: a.context, obj } : undefined;
}

const reconcilable = (o: KubeObject) => isReconcilable(groupOf(o.apiVersion), o.kind);

function report(label: string, outcome: Outcome): void {
  if (outcome.result === 'ready') void vscode.window.showInformationMessage(`${label}: ${outcome.message || 'ready'}`);
  else if (outcome.result === 'cancelled') void vscode.window.showInformationMessage(`${label}: stopped waiting (the request stays).`);
  else void vscode.window.showErrorMessage(`${label} ${outcome.result === 'timeout' ? 'timed out' : outcome.result}: ${outcome.message}`);
}

function refOf(found: Located): ObjectRef {
  return { context: found.context, kind: found.obj.kind, namespace: found.obj.metadata.namespace, name: found.obj.metadata.name };
}

/**
 * Runs an action on `found` behind a cancellable progress notification, with the timeout setting.
 * The views show the object as the outcome left it before the outcome is reported.
 */
async function withProgress(feature: ClusterFeature, found: Located, label: string, run: (options: ActionOptions) => Promise<Outcome>): Promise<void> {
  const timeoutMs = vscode.workspace.getConfiguration('fluxGitops.cluster').get<number>('reconcileTimeout', 300) * 1000;
  try {
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: label, cancellable: true }, (progress, token) =>
      run({
        clock: systemClock,
        timeoutMs,
        cancellation: { get cancelled() { return token.isCancellationRequested; }, onCancel: (l) => token.onCancellationRequested(l) },
        report: (message) => progress.report({ message }),
      }),
    );
    await feature.beforeOutcome(refOf(found));
    report(label, outcome);
  } catch (e) {
    void vscode.window.showErrorMessage(`${label} failed: ${(e as Error).message}`);
  }
}

function describeObj(o: KubeObject): string {
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;
}

function reconcileCommand(id: string, mode: ReconcileMode, withSource: boolean, verb: string, filter: (o: KubeObject) => boolean): CommandSpec {
  return {
    id,
    create: (ctx: FluxContext) => async (arg?: unknown) => {
      const feature = ctx.cluster;
      const found = await locate(feature, arg, `${verb}: choose a Flux object`, filter);
      const session = found && feature.clusters.session(found.context);
      if (!found || !session) return;
      await withProgress(feature, found, `${verb} ${describeObj(found.obj)}`, (options) => reconcile(session, found.obj, mode, withSource, options));
    },
  };
}

const isHelmRelease = (o: KubeObject) => o.kind === 'HelmRelease';

export const CLUSTER_COMMANDS: readonly CommandSpec[] = [
  reconcileCommand('fluxGitops.cluster.reconcile', 'plain', false, 'Reconcile', reconcilable),
  // The palette's "Flux: Reconcile...": after a push the new commit is what one wants, so
  // Kustomizations and HelmReleases go through their source first (like --with-source).
  reconcileCommand('fluxGitops.cluster.reconcilePick', 'plain', true, 'Reconcile', reconcilable),
  reconcileCommand('fluxGitops.cluster.reconcileWithSource', 'plain', true, 'Reconcile with source', (o) => o.kind === 'Kustomization' || isHelmRelease(o)),
  reconcileCommand('fluxGitops.cluster.forceHelmRelease', 'force', false, 'Force upgrade of', isHelmRelease),
  reconcileCommand('fluxGitops.cluster.resetHelmRelease', 'reset', false, 'Reset remediation of', isHelmRelease),
  {
    id: 'fluxGitops.cluster.suspend',
    create: (ctx) => async (arg?: unknown) => {
      const feature = ctx.cluster;
      const found = await locate(feature, arg, 'Suspend: choose a Flux object', (o) => reconcilable(o) && !isSuspended(o));
      const session = found && feature.clusters.session(found.context);
      if (!found || !session) return;
      await withProgress(feature, found, `Suspend ${describeObj(found.obj)}`, () => suspend(session, found.obj));
    },
  },
  {
    id: 'fluxGitops.cluster.resume',
    create: (ctx) => async (arg?: unknown) => {
      const feature = ctx.cluster;
      const found = await locate(feature, arg, 'Resume: choose a Flux object', (o) => reconcilable(o) && isSuspended(o));
      const session = found && feature.clusters.session(found.context);
      if (!found || !session) return;
      await withProgress(feature, found, `Resume ${describeObj(found.obj)}`, (options) => resume(session, found.obj, options));
    },
  },
  {
    id: 'fluxGitops.cluster.showEvents',
    create: (ctx) => async (arg?: unknown) => {
      const a = asObjectArg(arg) ?? (await pickArg(ctx.cluster, 'Show events: choose a Flux object'));
      if (a) await vscode.window.showTextDocument(liveUri(a, 'events'), { preview: true });
    },
  },
  {
    id: 'fluxGitops.cluster.openLive',
    create: (ctx) => async (arg?: unknown) => {
      const a = asObjectArg(arg) ?? (await pickArg(ctx.cluster, 'Open live object: choose a Flux object'));
      if (!a) return;
      const doc = await vscode.workspace.openTextDocument(liveUri(a, 'yaml'));
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: true });
    },
  },
  {
    id: 'fluxGitops.cluster.revealInWorkspace',
    create: (ctx) => async (arg?: unknown) => {
      const a = asObjectArg(arg) ?? (await pickArg(ctx.cluster, 'Reveal in workspace: choose a Flux object'));
      if (!a) return;
      const live = ctx.cluster.clusters.session(a.context)?.get(a.kind, a.namespace, a.name);
      let locations: Location[];
      try {
        locations = await ctx.client.sendRequest(FindObjectsRequest, { kind: a.kind, name: a.name, namespace: a.namespace, group: live ? groupOf(live.apiVersion) : undefined });
      } catch (e) {
        // The language server stopped or failed the request: say so instead of an unhandled rejection.
        const message = `Reveal in workspace: cannot search the workspace for ${a.kind} ${a.name}: ${(e as Error).message}`;
        ctx.log.error(message);
        return void vscode.window.showErrorMessage(message);
      }
      if (locations.length === 0) return void vscode.window.showInformationMessage(`No file in the workspace declares ${a.kind} ${a.name}.`);
      const target = locations.length === 1 ? locations[0]! : await pickLocation(locations);
      if (!target) return;
      const range = ctx.client.protocol2CodeConverter.asRange(target.range);
      await vscode.window.showTextDocument(vscode.Uri.parse(target.uri), { selection: new vscode.Range(range.start, range.start) });
    },
  },
  { id: 'fluxGitops.cluster.refresh', create: (ctx) => () => ctx.cluster.reload() },
  {
    id: 'fluxGitops.cluster.chooseContexts',
    create: (ctx) => async () => {
      const feature = ctx.cluster;
      const all = contextNames();
      if (all.length === 0) return void vscode.window.showInformationMessage('No kubeconfig contexts found.');
      const shown = new Set(feature.clusters.sessions.map((s) => s.context));
      const picked = await vscode.window.showQuickPick(
        all.map((label) => ({ label, picked: shown.has(label) })),
        { canPickMany: true, title: 'Contexts to show in the Flux view (your kubeconfig is not changed)' },
      );
      if (picked) await vscode.workspace.getConfiguration('fluxGitops.cluster').update('contexts', picked.map((p) => p.label), vscode.ConfigurationTarget.Global);
    },
  },
  {
    id: 'fluxGitops.cluster.toggleGrouping',
    create: () => async () => {
      const config = vscode.workspace.getConfiguration('fluxGitops.cluster');
      const next: Grouping = config.get<Grouping>('groupBy', 'kind') === 'kind' ? 'namespace' : 'kind';
      await config.update('groupBy', next, vscode.ConfigurationTarget.Global);
    },
  },
];

function contextNames(): string[] {
  return loadKubeConfig(kubeconfigFiles(process.env, homedir()))?.config.getContexts().map((c) => c.name) ?? [];
}

async function pickArg(feature: ClusterFeature, title: string): Promise<ObjectArg | undefined> {
  const found = await pickObject(feature, title, () => true);
  return found && refOf(found);
}

async function pickLocation(locations: readonly Location[]): Promise<Location | undefined> {
  const picked = await vscode.window.showQuickPick(locations.map((l, i) => ({ label: vscode.workspace.asRelativePath(vscode.Uri.parse(l.uri)), i })));
  return picked && locations[picked.i];
}
