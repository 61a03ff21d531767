/**
 * What a tree view was last given, so a refresh can name only the elements that changed. VS Code
 * keeps an element's expansion by its id, but re-fetching a parent while a child is being expanded
 * can show that child collapsed again; so: one object per id (stable identities), the user's
 * expansion echoed in collapsibleState, and a walk that fires the deepest changed element rather
 * than its context or the root. Plain data, no VS Code, so it is tested directly.
 */
import type { NodeView } from './fluxTreeModel';

export interface TreeSource<N> {
  roots(): N[];
  children(node: N): Promise<N[]>;
  view(node: N): NodeView;
  /** False for nodes whose children cost a request (read on expand only, never by the walk). */
  walkInto(node: N): boolean;
}

/** The root, or the elements to fire onDidChangeTreeData for. */
export type Refresh<N> = 'root' | N[];

const ROOT = '';

export class TreeState<N extends { readonly id: string }> {
  private readonly nodes = new Map<string, N>();
  /** Children ids handed out per parent id (ROOT for the roots). */
  private readonly childIds = new Map<string, string[]>();
  private readonly views = new Map<string, string>();
  /** Expansion the user chose, by id; nodes not in it are as their view says. */
  private readonly expansion = new Map<string, boolean>();

  /** Records the children handed to the view, returning the known object for each unchanged node. */
  given(parent: N | undefined, children: readonly N[]): N[] {
    const parentId = parent?.id ?? ROOT;
    const kept = children.map((c) => this.intern(c));
    const ids = new Set(kept.map((c) => c.id));
    for (const old of this.childIds.get(parentId) ?? []) if (!ids.has(old)) this.forget(old);
    this.childIds.set(parentId, kept.map((c) => c.id));
    return kept;
  }

  /** The view to render, its collapsible state following the user's expansion. */
  item(node: N, view: NodeView): NodeView {
    this.views.set(node.id, signature(view));
    if (view.collapsible === 'none') return view;
    return { ...view, collapsible: this.expanded(node.id, view) ? 'expanded' : 'collapsed' };
  }

  setExpanded(node: N, expanded: boolean): void {
    if (this.nodes.has(node.id)) this.expansion.set(node.id, expanded);
  }

  /** Every node handed out that matches. */
  find(match: (node: N) => boolean): N[] {
    return [...this.nodes.values()].filter(match);
  }

  /**
   * What changed under the roots that match (all when no filter): the root when the roots differ,
   * else the highest elements whose item or shown children changed, parents before children.
   */
  async changes(source: TreeSource<N>, only?: (root: N) => boolean): Promise<Refresh<N>> {
    const roots = source.roots();
    if (!this.sameChildren(ROOT, roots)) return 'root';
    const fire: N[] = [];
    for (const root of roots) if (!only || only(root)) await this.walk(source, root, fire);
    return fire;
  }

  private async walk(source: TreeSource<N>, fresh: N, fire: N[]): Promise<void> {
    const known = this.nodes.get(fresh.id);
    if (!known) return;
    const view = source.view(fresh);
    if (this.views.has(fresh.id) && this.views.get(fresh.id) !== signature(view)) {
      fire.push(known);
      return;
    }
    if (!this.childIds.has(fresh.id) || !this.expanded(fresh.id, view) || !source.walkInto(fresh)) return;
    const children = await source.children(fresh);
    if (!this.sameChildren(fresh.id, children)) {
      fire.push(known);
      return;
    }
    for (const child of children) await this.walk(source, child, fire);
  }

  /** Same ids in the same order, each node equal to the one handed out. */
  private sameChildren(parentId: string, children: readonly N[]): boolean {
    const ids = this.childIds.get(parentId);
    if (!ids) return parentId !== ROOT || children.length === 0;
    return ids.length === children.length && children.every((c, i) => c.id === ids[i] && sameNode(this.nodes.get(c.id), c));
  }

  private expanded(id: string, view: NodeView): boolean {
    return this.expansion.get(id) ?? view.collapsible === 'expanded';
  }

  private intern(node: N): N {
    const known = this.nodes.get(node.id);
    if (known && sameNode(known, node)) return known;
    this.nodes.set(node.id, node);
    return node;
  }

  private forget(id: string): void {
    for (const child of this.childIds.get(id) ?? []) this.forget(child);
    this.nodes.delete(id);
    this.childIds.delete(id);
    this.views.delete(id);
    this.expansion.delete(id);
  }
}

/** Nodes are plain data (an object snapshot at most): equal when they serialise the same. */
function sameNode<N>(a: N | undefined, b: N): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function signature(view: NodeView): string {
  return JSON.stringify([view.label, view.description, view.tooltip, view.icon, view.collapsible, view.contextValue, view.accessibleLabel, view.clickCommand]);
}
