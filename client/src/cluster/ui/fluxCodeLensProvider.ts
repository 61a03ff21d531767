/**
 * CodeLens on Flux objects in YAML files: live status and revision from the watches, with actions
 * (reconcile, suspend/resume, events, live YAML, for HelmReleases force). At the top of a file that a
 * Kustomization from this repository applies: whether the local HEAD is live there.
 */
import * as vscode from 'vscode';
import { relative } from 'node:path';
import type { ClusterFeature } from './clusterFeature';
import type { ContextSession } from '../connection/contextSession';
import { appliesFile, kustomizationLiveness, sourceMatchesRepo } from '../model/commitLive';
import { shortRevisionOf, STATE_LABELS, statusAge } from '../model/describe';
import { declaredObjects, type DeclaredObject } from '../model/documentObjects';
import { fluxKindInfo, groupOf, isReconcilable } from '../connection/fluxKinds';
import { isSuspended, stringAt, type KubeObject } from '../connection/objects';
import { shortRevision } from '../model/revision';
import { summarize } from '../model/status';

const STATE_ICONS: Record<string, string> = { ready: 'pass', reconciling: 'sync', failed: 'error', stalled: 'warning', suspended: 'debug-pause', unknown: 'question', terminating: 'trash' };

/** The live object a declaration stands for: same namespace, or, when the file has none, the only (or flux-system) one. */
export function matchLive(session: ContextSession, d: DeclaredObject): KubeObject | undefined {
  if (d.namespace) return session.get(d.kind, d.namespace, d.name);
  const candidates = session.objectsOf(d.kind).filter((o) => o.metadata.name === d.name && groupOf(o.apiVersion) === groupOf(d.apiVersion));
  return candidates.length === 1 ? candidates[0] : candidates.find((o) => o.metadata.namespace === 'flux-system');
}

export class FluxCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly feature: ClusterFeature) {
    const changed = () => (this.timer ??= setTimeout(() => ((this.timer = undefined), this.emitter.fire()), 1000));
    this.unsubscribe = [feature.clusters.changed.on(changed), feature.headChanged.on(changed)];
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('fluxGitops.cluster').get<boolean>('codeLens', true)) return [];
    const session = this.feature.clusters.sessions.find((s) => s.state === 'ready' || s.all().length > 0);
    if (!session) return [];
    const lenses = this.fileLenses(session, document);
    for (const d of declaredObjects(document.getText())) {
      if (!fluxKindInfo(groupOf(d.apiVersion), d.kind)) continue;
      const range = new vscode.Range(d.line, 0, d.line, 0);
      const live = matchLive(session, d);
      if (!live) {
        lenses.push(new vscode.CodeLens(range, { title: `$(circle-slash) not in ${session.context}`, command: '' }));
        continue;
      }
      const arg = { context: session.context, kind: live.kind, namespace: live.metadata.namespace, name: live.metadata.name };
      const summary = summarize(live, fluxKindInfo(groupOf(live.apiVersion), live.kind)?.statusless);
      const status = [`$(${STATE_ICONS[summary.state]}) ${STATE_LABELS[summary.state]}`, shortRevisionOf(live), statusAge(live, Date.now())].filter(Boolean).join(' · ');
      lenses.push(new vscode.CodeLens(range, { title: status, tooltip: summary.message ?? '', command: 'fluxGitops.cluster.openLive', arguments: [arg] }));
      if (isReconcilable(groupOf(live.apiVersion), live.kind)) {
        if (isSuspended(live)) lenses.push(new vscode.CodeLens(range, { title: 'Resume', command: 'fluxGitops.cluster.resume', arguments: [arg] }));
        else {
          lenses.push(new vscode.CodeLens(range, { title: 'Reconcile', command: 'fluxGitops.cluster.reconcile', arguments: [arg] }));
          if (live.kind === 'HelmRelease') lenses.push(new vscode.CodeLens(range, { title: 'Force', command: 'fluxGitops.cluster.forceHelmRelease', arguments: [arg] }));
          lenses.push(new vscode.CodeLens(range, { title: 'Suspend', command: 'fluxGitops.cluster.suspend', arguments: [arg] }));
        }
      }
      lenses.push(new vscode.CodeLens(range, { title: 'Events', command: 'fluxGitops.cluster.showEvents', arguments: [arg] }));
    }
    return lenses;
  }

  /** "Is my commit live" for the file: one lens per Kustomization from this repository that applies it. */
  private fileLenses(session: ContextSession, document: vscode.TextDocument): vscode.CodeLens[] {
    const head = this.feature.head;
    if (!head || document.uri.scheme !== 'file') return [];
    const file = relative(head.root, document.uri.fsPath).split('\\').join('/');
    if (file.startsWith('..')) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses: vscode.CodeLens[] = [];
    for (const ks of session.objectsOf('Kustomization')) {
      const ref = ks.spec?.['sourceRef'] as { kind?: string; name?: string; namespace?: string } | undefined;
      const source = ref?.kind === 'GitRepository' && ref.name ? session.get('GitRepository', ref.namespace ?? ks.metadata.namespace, ref.name) : undefined;
      if (!source || !sourceMatchesRepo(source, head) || !appliesFile(ks, file)) continue;
      const live = kustomizationLiveness(ks, head);
      const applied = shortRevision(stringAt(ks, ['status', 'lastAppliedRevision'])) || 'nothing yet';
      const verdict = live.state === 'live' ? `$(check) HEAD ${head.commit.slice(0, 7)} is live` : `$(clock) HEAD ${head.commit.slice(0, 7)} not live yet`;
      const arg = { context: session.context, kind: 'Kustomization', namespace: ks.metadata.namespace, name: ks.metadata.name };
      lenses.push(new vscode.CodeLens(top, { title: `${verdict} (Kustomization ${ks.metadata.namespace}/${ks.metadata.name} applied ${applied})`, command: 'fluxGitops.cluster.reconcileWithSource', arguments: [arg], tooltip: 'Reconcile with source' }));
    }
    return lenses;
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.emitter.dispose();
  }
}
