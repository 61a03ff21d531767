/**
 * Creates the live-cluster views: the "Flux" tree, the CodeLens on YAML files and the read-only
 * live documents. Called once from extension.ts. In Restricted Mode the tree stays empty (the view
 * shows its welcome text: features disabled, Manage Workspace Trust) and nothing reads the
 * kubeconfig; the views start when the workspace is trusted, without a reload.
 */
import * as vscode from 'vscode';
import type { FluxContext } from '../../context';
import { RESTRICTED_MESSAGES } from '../../trust';
import { FluxCodeLensProvider } from './fluxCodeLensProvider';
import type { TreeNode } from './fluxTreeModel';
import { FluxTreeProvider } from './fluxTreeProvider';
import { LIVE_SCHEME, LiveDocumentProvider } from './liveDocumentProvider';

export function registerClusterViews(ctx: FluxContext): void {
  const slot = new ClusterTreeSlot();
  const view = vscode.window.createTreeView('fluxGitops.clusterTree', { treeDataProvider: slot, showCollapseAll: true });
  if (!ctx.trust.trusted) ctx.log.info(`cluster: ${RESTRICTED_MESSAGES.cluster}`);
  const started = ctx.trust.whenTrusted(() => {
    const feature = ctx.cluster;
    const tree = new FluxTreeProvider(feature);
    const live = new LiveDocumentProvider(feature);
    const lenses = new FluxCodeLensProvider(feature);
    ctx.extension.subscriptions.push(
      tree,
      ...tree.trackExpansion(view),
      live,
      lenses,
      vscode.workspace.registerTextDocumentContentProvider(LIVE_SCHEME, live),
      vscode.languages.registerCodeLensProvider({ language: 'yaml', scheme: 'file' }, lenses),
    );
    slot.fill(tree);
  });
  ctx.extension.subscriptions.push(slot, view, started);
}

/** The Clusters view's data provider: empty until the live tree fills it (the view then shows its welcome text). */
class ClusterTreeSlot implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private tree: FluxTreeProvider | undefined;
  private relay: vscode.Disposable | undefined;
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;

  fill(tree: FluxTreeProvider): void {
    this.tree = tree;
    this.relay = tree.onDidChangeTreeData((node) => this.emitter.fire(node));
    this.emitter.fire(undefined);
  }

  /** Nodes come only from the live tree's getChildren, so it is there whenever VS Code asks about one. */
  private get filled(): FluxTreeProvider {
    if (!this.tree) throw new Error('the Clusters view has no live tree yet');
    return this.tree;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return this.filled.getTreeItem(node);
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    return this.filled.resolveTreeItem(item, node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.tree ? this.tree.getChildren(node) : [];
  }

  dispose(): void {
    this.relay?.dispose();
    this.emitter.dispose();
  }
}
