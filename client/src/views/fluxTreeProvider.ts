/**
 * The "Flux" tree view: FluxTreeModel's nodes as TreeItems. Watch events are coalesced: at most one
 * refresh per COALESCE_MS. An object that was only modified refreshes just its own items (with
 * 5,000 objects, refreshing its context would re-send every row); added or removed objects and
 * connection state changes refresh their context.
 */
import * as vscode from 'vscode';
import type { ClusterFeature } from '../cluster/clusterFeature';
import { FluxTreeModel, type Grouping, type NodeIcon, type TreeNode } from './fluxTreeModel';

const COALESCE_MS = 200;

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

function objectKey(context: string, kind: string, namespacedName: string): string {
  return `${context}|${kind}|${namespacedName}`;
}

export class FluxTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  readonly model: FluxTreeModel;
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private roots: TreeNode[] = [];
  private pending = new Set<string>();
  private whole = false;
  /** Modified objects waiting for the next refresh, by objectKey. */
  private readonly modified = new Set<string>();
  /** The object items handed to the view, by objectKey (one object may appear at several places). */
  private readonly shown = new Map<string, Map<string, TreeNode>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly configListener: vscode.Disposable;

  constructor(feature: ClusterFeature) {
    this.model = new FluxTreeModel(feature.clusters, Date.now);
    this.model.grouping = vscode.workspace.getConfiguration('fluxGitops.cluster').get<Grouping>('groupBy', 'kind');
    this.model.head = feature.head;
    this.unsubscribe.push(
      feature.clusters.changed.on((session) => session === undefined && this.schedule(undefined)),
      feature.clusters.sessionChanged.on(({ session, change }) => {
        if (change.structural || change.kind === undefined) return this.schedule(session.context);
        for (const key of change.keys) this.modified.add(objectKey(session.context, change.kind, key));
        this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
      }),
      feature.headChanged.on((head) => {
        this.model.head = head;
        this.schedule(undefined);
      }),
    );
    this.configListener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('fluxGitops.cluster.groupBy')) return;
      this.model.grouping = vscode.workspace.getConfiguration('fluxGitops.cluster').get<Grouping>('groupBy', 'kind');
      this.schedule(undefined);
    });
  }


  private schedule(context: string | undefined): void {
    if (context === undefined) this.whole = true;
    else this.pending.add(context);
    this.timer ??= setTimeout(() => this.flush(), COALESCE_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const roots = this.roots;
    const changed = [...this.pending];
    const modified = [...this.modified];
    this.pending.clear();
    this.modified.clear();
    if (this.whole) {
      this.whole = false;
      this.shown.clear();
      return this.emitter.fire(undefined);
    }
    const nodes = changed.map((context) => roots.find((r) => r.type === 'context' && r.context === context));
    // A context not shown yet (or no longer) changes the roots themselves.
    if (nodes.some((n) => n === undefined)) {
      this.shown.clear();
      return this.emitter.fire(undefined);
    }
    for (const node of nodes) {
      if (node?.type !== 'context') continue;
      for (const key of [...this.shown.keys()]) if (key.startsWith(`${node.context}|`)) this.shown.delete(key);
      this.emitter.fire(node);
    }
    for (const key of modified) {
      if (changed.some((context) => key.startsWith(`${context}|`))) continue;
      for (const node of this.shown.get(key)?.values() ?? []) this.emitter.fire(node);
    }
  }

  private remember(nodes: TreeNode[]): TreeNode[] {
    for (const node of nodes) {
      if (node.type !== 'object') continue;
      const key = objectKey(node.context, node.kind, `${node.namespace ?? ''}/${node.name}`);
      let byId = this.shown.get(key);
      if (!byId) this.shown.set(key, (byId = new Map()));
      byId.set(node.id, node);
    }
    return nodes;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const view = this.model.view(node);
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
    if (!node) return (this.roots = this.model.roots());
    return this.remember(await this.model.children(node));
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.configListener.dispose();
    this.emitter.dispose();
  }
}
