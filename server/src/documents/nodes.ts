import { isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';

export type PathSegment = string | number;

/** What sits at an offset of a section: the path of keys/indexes from the root, and the node. */
export interface NodeLocation {
  readonly path: readonly PathSegment[];
  /** The innermost node containing the offset (a key scalar when `onKey`). */
  readonly node: Node | undefined;
  /** True when the offset is on a mapping key; `path` then ends with that key. */
  readonly onKey: boolean;
  /** The pair whose key or value holds the offset, if any. */
  readonly pair: Pair | undefined;
}

/** The string form of a pair's key: scalars only (complex keys are ignored). */
export function keyName(pair: Pair): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return key.value === null ? undefined : String(key.value);
  return typeof key === 'string' ? key : undefined;
}

function contains(node: unknown, offset: number): node is Node {
  if (!node || typeof node !== 'object' || !('range' in node)) return false;
  const range = (node as Node).range;
  return !!range && range[0] <= offset && offset <= range[1];
}

/** Walks down from the document root to the innermost node containing `offset`. Never follows aliases. */
export function locate(doc: Document.Parsed, offset: number): NodeLocation {
  const path: PathSegment[] = [];
  let node: Node | undefined = contains(doc.contents, offset) ? (doc.contents as Node) : undefined;
  let pair: Pair | undefined;
  let onKey = false;
  for (let depth = 0; node && depth < 1000; depth++) {
    if (isMap(node)) {
      const hit = node.items.find((p) => contains(p.key, offset) || contains(p.value, offset));
      if (!hit) break;
      const name = keyName(hit) ?? '';
      path.push(name);
      pair = hit;
      if (contains(hit.key, offset)) {
        node = hit.key as Node;
        onKey = true;
        break;
      }
      node = hit.value as Node;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((item) => contains(item, offset));
      if (i < 0) break;
      path.push(i);
      pair = undefined;
      node = node.items[i] as Node;
    } else break;
  }
  return { path, node, onKey, pair };
}

/** The path from the root to `target` (a node of `doc`, key or value), or undefined when it is not there. */
export function pathOf(doc: Document.Parsed, target: Node): PathSegment[] | undefined {
  const start = target.range?.[0];
  if (start === undefined) return undefined;
  const loc = locate(doc, start);
  if (loc.node === target) return [...loc.path];
  // A collection starts where its first child does: `locate` went past it; walk back up.
  for (let depth = loc.path.length - 1; depth >= 0; depth--) {
    const path = loc.path.slice(0, depth);
    if (nodeAtPath(doc, path) === target) return path;
  }
  return doc.contents === target ? [] : undefined;
}

/** The node at `path` (string keys into maps, numbers into sequences), without following aliases. */
export function nodeAtPath(doc: Document.Parsed, path: readonly PathSegment[]): Node | undefined {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isMap(node)) node = node.items.find((p) => keyName(p) === segment)?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else return undefined;
  }
  return node && !isAlias(node) ? (node as Node) : undefined;
}

/** A top-level string field of the document's root mapping (apiVersion, kind...). */
export function rootString(doc: Document.Parsed, key: string): string | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const value = root.items.find((p) => keyName(p) === key)?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

/** `metadata.<key>` as a string, when it is one. */
export function metadataString(doc: Document.Parsed, key: string): string | undefined {
  const meta = nodeAtPath(doc, ['metadata']);
  if (!isMap(meta)) return undefined;
  const value = meta.items.find((p) => keyName(p) === key)?.value;
  return isScalar(value) && typeof value.value === 'string' ? value.value : undefined;
}

