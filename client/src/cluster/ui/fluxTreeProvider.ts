/**
 * The "Flux" tree view: FluxTreeModel's nodes as TreeItems. Watch events are coalesced: at most one
 * refresh per COALESCE_MS. An object that was only modified refreshes just its own items (with
 * 5,000 objects, refreshing its context would re-send every row); added or removed objects and
 * connection state changes refresh the deepest elements that changed (TreeState), so a group the
 * user just expanded is not re-fetched under them.
 */
import * as vscode from 'vscode';
import type { ClusterFeature } from './clusterFeature';
import { FluxTreeModel, type Grouping, type NodeIcon, type TreeNode } from './fluxTreeModel';
import { TreeState, type TreeSource } from './treeState';

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
  private readonly state = new TreeState<TreeNode>();
  private readonly source: TreeSource<TreeNode>;
  /** Contexts whose objects were added or removed (or whose connection changed) since the last refresh. */
  private readonly pending = new Set<string>();
  private whole = false;
  /** Modified objects waiting for the next refresh, by objectKey. */
  private readonly modified = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  /** Refreshes run one after the other: each compares against what the previous one handed out. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly configListener: vscode.Disposable;

  constructor(feature: ClusterFeature) {
    this.model = new FluxTreeModel(feature.clusters, Date.now);
    this.model.grouping = vscode.workspace.getConfiguration('fluxGitops.cluster').get<Grouping>('groupBy', 'kind');
    this.model.head = feature.head;
    const model = this.model;
    this.source = {
      roots: () => model.roots(),
      children: (node) => model.children(node),
      view: (node) => model.view(node),
      // A Helm release's inventory is a request to the cluster: read when expanded, not on every change.
      walkInto: (node) => !(node.type === 'section' && node.section === 'inventory'),
    };
    this.unsubscribe.push(
      feature.clusters.changed.on((session) => session === undefined && this.schedule(undefined)),
      feature.clusters.sessionChanged.on(({ session, change }) => {
        if (change.structural || change.kind === undefined) return this.schedule(session.context);
        for (const key of change.keys) this.modified.add(objectKey(session.context, change.kind, key));
        this.arm();
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

  /** Follows the user's expansion, so a refreshed item keeps the state the user gave it. */
  trackExpansion(view: vscode.TreeView<TreeNode>): vscode.Disposable[] {
    return [
      view.onDidExpandElement((e) => this.state.setExpanded(e.element, true)),
      view.onDidCollapseElement((e) => this.state.setExpanded(e.element, false)),
    ];
  }

  private schedule(context: string | undefined): void {
    if (context === undefined) this.whole = true;
    else this.pending.add(context);
    this.arm();
  }

  private arm(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      // Should the comparison fail, the whole tree is re-read (and the chain goes on).
      this.flushing = this.flushing.then(() => this.flush()).catch(() => this.emitter.fire(undefined));
    }, COALESCE_MS);
  }

  private async flush(): Promise<void> {
    const contexts = this.whole ? undefined : new Set(this.pending);
    const structural = this.whole || this.pending.size > 0;
    const modified = new Set(this.modified);
    this.whole = false;
    this.pending.clear();
    this.modified.clear();
    const changes = structural ? await this.state.changes(this.source, contexts && ((root) => root.type === 'context' && contexts.has(root.context))) : [];
    if (changes === 'root') return this.emitter.fire(undefined);
    const fire = new Set(changes);
    // A modified object refreshes its own items wherever they are shown, unless an ancestor already is.
    const shown = modified.size ? this.state.find((n) => n.type === 'object' && modified.has(objectKey(n.context, n.kind, `${n.namespace ?? ''}/${n.name}`))) : [];
    for (const node of shown) if (!changes.some((c) => node.id.startsWith(`${c.id}/`))) fire.add(node);
    for (const node of fire) this.emitter.fire(node);
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
    clearTimeout(this.timer);
    for (const u of this.unsubscribe) u();
    this.configListener.dispose();
    this.emitter.dispose();
  }
}
