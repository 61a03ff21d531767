/**
 * Which rows of the "Flux" tree to re-send, and when. Watch events are coalesced: at most one
 * refresh per COALESCE_MS. An object that was only modified refreshes just its own items (with
 * 5,000 objects, refreshing its context would re-send every row); added or removed objects and
 * connection state changes refresh the deepest elements that changed (TreeState), so a group the
 * user just expanded is not re-fetched under them. When an action's outcome is about to be
 * reported, the acted-on object's rows are re-sent at once (`now`), so the row and the notification
 * agree. No VS Code: the tree provider passes its change event's `fire` in, so this is tested directly.
 */
import type { Clock } from '../connection/clock';
import type { Clusters } from '../connection/clusters';
import type { ObjectRef } from '../connection/objects';
import type { FluxTreeModel, TreeNode } from './fluxTreeModel';
import type { TreeSource, TreeState } from './treeState';

const COALESCE_MS = 200;

function objectKey(context: string, kind: string, namespacedName: string): string {
  return `${context}|${kind}|${namespacedName}`;
}

export class TreeRefresh {
  /** Contexts whose objects were added or removed (or whose connection changed) since the last refresh. */
  private readonly pending = new Set<string>();
  private whole = false;
  /** Modified objects waiting for the next refresh, by objectKey. */
  private readonly modified = new Set<string>();
  private timer: unknown;
  /** Refreshes run one after the other: each compares against what the previous one handed out. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly source: TreeSource<TreeNode>;

  constructor(
    private readonly state: TreeState<TreeNode>,
    model: FluxTreeModel,
    private readonly fire: (node: TreeNode | undefined) => void,
    private readonly clock: Clock,
  ) {
    this.source = {
      roots: () => model.roots(),
      children: (node) => model.children(node),
      view: (node) => model.view(node),
      // A Helm release's inventory is a request to the cluster: read when expanded, not on every change.
      walkInto: (node) => !(node.type === 'section' && node.section === 'inventory'),
    };
  }

  /** Follows the watch events of every shown context; returns the unsubscribes. */
  follow(clusters: Pick<Clusters, 'changed' | 'sessionChanged'>): (() => void)[] {
    return [
      clusters.changed.on((session) => session === undefined && this.structural(undefined)),
      clusters.sessionChanged.on(({ session, change }) => {
        if (change.structural || change.kind === undefined) return this.structural(session.context);
        for (const key of change.keys) this.modified.add(objectKey(session.context, change.kind, key));
        this.arm();
      }),
    ];
  }

  /** Objects of `context` were added or removed, or its connection changed; undefined: anything in the tree may have. */
  structural(context: string | undefined): void {
    if (context === undefined) this.whole = true;
    else this.pending.add(context);
    this.arm();
  }

  /** Re-sends these objects' rows, with whatever else is pending, without waiting for the coalescing delay. */
  async now(objects: readonly ObjectRef[]): Promise<void> {
    for (const o of objects) this.modified.add(objectKey(o.context, o.kind, `${o.namespace ?? ''}/${o.name}`));
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.run();
  }

  private arm(): void {
    this.timer ??= this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, COALESCE_MS);
  }

  private run(): Promise<void> {
    // Should the comparison fail, the whole tree is re-read (and the chain goes on).
    this.flushing = this.flushing.then(() => this.flush()).catch(() => this.fire(undefined));
    return this.flushing;
  }

  private async flush(): Promise<void> {
    const contexts = this.whole ? undefined : new Set(this.pending);
    const structural = this.whole || this.pending.size > 0;
    const modified = new Set(this.modified);
    this.whole = false;
    this.pending.clear();
    this.modified.clear();
    const changes = structural ? await this.state.changes(this.source, contexts && ((root) => root.type === 'context' && contexts.has(root.context))) : [];
    if (changes === 'root') return this.fire(undefined);
    const fire = new Set(changes);
    // A modified object refreshes its own items wherever they are shown, unless an ancestor already is.
    const shown = modified.size ? this.state.find((n) => n.type === 'object' && modified.has(objectKey(n.context, n.kind, `${n.namespace ?? ''}/${n.name}`))) : [];
    for (const node of shown) if (!changes.some((c) => node.id.startsWith(`${c.id}/`))) fire.add(node);
    for (const node of fire) this.fire(node);
  }

  dispose(): void {
    this.clock.clearTimeout(this.timer);
  }
}
