/**
 * The "Flux" tree view: FluxTreeModel's nodes as TreeItems, re-sent as TreeRefresh decides (watch
 * events coalesced, only the rows that changed).
 */
import * as vscode from 'vscode';
import { systemClock } from '../connection/clock';
import type { ClusterFeature } from './clusterFeature';
import { FluxTreeModel, type Grouping, type NodeIcon, type TreeNode } from './fluxTreeModel';
import { TreeRefresh } from './treeRefresh';
import { TreeState } from './treeState';

const ICONS: Readonly<Record<NodeIcon, vscode.ThemeIcon>> = {
  ready: new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed')),
  reconciling: new vscode.ThemeIcon('sync~spin', new vscode.ThemeColor('charts.blue')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  stalled: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  suspended: new vscode.ThemeIcon('debug-pause', new vscode.ThemeColor('disabledForeground')),
  unknown: new vscode.ThemeIcon('question', new vscode.ThemeColor('disabledForeground')),
  terminating: new vscode.ThemeIcon('trash', new vscode.ThemeColor('disabledForeground')),
  context: new vscode.ThemeIcon('server-environment'),
  contextError: new vscode.ThemeIcon('server-environment', new vscode.ThemeColor('errorForeground')),
  group: new vscode.ThemeIcon('folder'),
  namespace: new vscode.ThemeIcon('symbol-namespace'),
  resource: new vscode.ThemeIcon('symbol-object'),
  history: new vscode.ThemeIcon('history'),
  inventory: new vscode.ThemeIcon('list-tree'),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  warning: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  info: new vscode.ThemeIcon('info'),
};

const COLLAPSE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

export class FluxTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly model: FluxTreeModel;
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly state = new TreeState<TreeNode>();
  private readonly refresh: TreeRefresh;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly configListener: vscode.Disposable;

  constructor(feature: ClusterFeature) {
    this.model = new FluxTreeModel(feature.clusters, Date.now);
    this.model.grouping = vscode.workspace.getConfiguration('fluxGitops.cluster').get<Grouping>('groupBy', 'kind');
    this.model.head = feature.head;
    this.refresh = new TreeRefresh(this.state, this.model, (node) => this.emitter.fire(node), systemClock);
    this.unsubscribe.push(
      ...this.refresh.follow(feature.clusters),
      feature.showOutcomesIn((acted) => this.refresh.now([acted])),
      feature.headChanged.on((head) => {
        this.model.head = head;
        this.refresh.structural(undefined);
      }),
    );
    this.configListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('fluxGitops.cluster.groupBy')) return;
      this.model.grouping = vscode.workspace.getConfiguration('fluxGitops.cluster').get<Grouping>('groupBy', 'kind');
      this.refresh.structural(undefined);
    });
  }

  /** Follows the user's expansion, so a refreshed item keeps the state the user gave it. */
  trackExpansion(view: vscode.TreeView<TreeNode>): vscode.Disposable[] {
    return [
      view.onDidExpandElement((e) => this.state.setExpanded(e.element, true)),
      view.onDidCollapseElement((e) => this.state.setExpanded(e.element, false)),
    ];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const view = this.state.item(node, this.model.view(node));
    const item = new vscode.TreeItem(view.label, COLLAPSE[view.collapsible]);
    item.id = node.id;
    item.description = view.description;
    item.tooltip = view.tooltip === undefined ? undefined : new vscode.MarkdownString(view.tooltip);
    item.iconPath = ICONS[view.icon];
    item.contextValue = view.contextValue;
    if (view.accessibleLabel) item.accessibilityInformation = { label: view.accessibleLabel };
    if (view.clickCommand) item.command = { command: view.clickCommand, title: view.label, arguments: [node] };
    return item;
  }

  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const tooltip = this.model.tooltip(node);
    if (tooltip !== undefined) item.tooltip = new vscode.MarkdownString(tooltip);
    return item;
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    return this.state.given(node, node ? await this.model.children(node) : this.model.roots());
  }

  dispose(): void {
    this.refresh.dispose();
    for (const u of this.unsubscribe) u();
    this.configListener.dispose();
    this.emitter.dispose();
  }
}
