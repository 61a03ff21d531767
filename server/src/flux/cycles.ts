/** Cycles in a directed graph (dependsOn): every edge that lies on a cycle, with one cycle through it. */

export interface CycleEdge<T> {
  readonly from: T;
  readonly to: T;
  /** from → to → ... → from, as node keys. */
  readonly cycle: readonly string[];
}

/**
 * `edges` maps a node key to the keys it depends on. For each edge inside a strongly connected
 * component (or a self-loop), the shortest way back gives the cycle that edge belongs to.
 */
export function cycleEdges(edges: ReadonlyMap<string, readonly string[]>): CycleEdge<string>[] {
  const component = stronglyConnected(edges);
  const result: CycleEdge<string>[] = [];
  for (const [from, targets] of edges) {
    for (const to of targets) {
      if (component.get(from) === undefined || component.get(from) !== component.get(to)) continue;
      if (from !== to && componentSize(component, from) < 2) continue;
      const back = shortestPath(edges, to, from, (n) => component.get(n) === component.get(from));
      if (back) result.push({ from, to, cycle: [from, ...back] });
    }
  }
  return result;
}

function componentSize(component: ReadonlyMap<string, number>, node: string): number {
  const id = component.get(node);
  let n = 0;
  for (const c of component.values()) if (c === id) n++;
  return n;
}

function shortestPath(edges: ReadonlyMap<string, readonly string[]>, start: string, goal: string, inside: (n: string) => boolean): string[] | undefined {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const node = queue.shift()!;
    if (node === goal) {
      const path: string[] = [];
      for (let n: string | null = node; n !== null; n = previous.get(n) ?? null) path.unshift(n);
      return path;
    }
    for (const next of edges.get(node) ?? []) {
      if (!previous.has(next) && inside(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** Tarjan's algorithm, iterative: node key → component id. */
function stronglyConnected(edges: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const frame = work[work.length - 1]!;
      const targets = edges.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++]!;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(to)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.set(member, components);
        } while (member !== frame.node);
        components++;
      }
    }
  }
  return component;
}
