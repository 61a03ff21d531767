/**
 * Creates the live-cluster views: the "Flux" tree, the CodeLens on YAML files and the read-only
 * live documents. Called once from extension.ts.
 */
import * as vscode from 'vscode';
import { clusterFeature } from '../cluster/clusterFeature';
import type { FluxContext } from '../context';
import { FluxCodeLensProvider } from './fluxCodeLensProvider';
import { FluxTreeProvider } from './fluxTreeProvider';
import { LIVE_SCHEME, LiveDocumentProvider } from './liveDocumentProvider';

export function registerClusterViews(ctx: FluxContext): void {
  const feature = clusterFeature(ctx);
  const tree = new FluxTreeProvider(feature);
  const view = vscode.window.createTreeView('fluxGitops.clusterTree', { treeDataProvider: tree, showCollapseAll: true });
  const live = new LiveDocumentProvider(feature);
  const lenses = new FluxCodeLensProvider(feature);
  ctx.extension.subscriptions.push(
    tree,
    view,
    ...tree.trackExpansion(view),
    live,
    lenses,
    vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, live),
    vscode.languages.registerCodeLensProvider({ language: 'yaml', scheme: 'file' }, lenses),
  );
}
