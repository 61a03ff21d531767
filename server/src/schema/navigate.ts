import type { PathSegment } from '../documents/nodes';
import type { SchemaNode } from './types';

type Resolve = (node: SchemaNode | undefined) => SchemaNode | undefined;

/** The schema of a field: `properties[key]`, else the `additionalProperties` schema. */
export function propertySchema(resolve: Resolve, node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  const s = resolve(node);
  if (!s) return undefined;
  if (s.properties && Object.hasOwn(s.properties, key)) return resolve(s.properties[key]);
  return typeof s.additionalProperties === 'object' ? resolve(s.additionalProperties) : undefined;
}

/** Follows a path (string keys into objects, numbers into array items) from a root schema. */
export function schemaAt(resolve: Resolve, root: SchemaNode | undefined, path: readonly PathSegment[]): SchemaNode | undefined {
  let node = resolve(root);
  for (const segment of path) {
    if (!node) return undefined;
    node = typeof segment === 'number' ? resolve(node.items) : propertySchema(resolve, node, segment);
  }
  return node;
}

/** A short type label for hovers and completion details. */
export function typeLabel(resolve: Resolve, node: SchemaNode | undefined): string {
  const s = resolve(node);
  if (!s) return 'any';
  if (s['x-kubernetes-int-or-string']) return 'integer | string';
  if (s.type === 'array') return `${typeLabel(resolve, s.items)}[]`;
  if (s.type === 'object' || s.properties) {
    if (!s.properties && typeof s.additionalProperties === 'object') return `map[string]${typeLabel(resolve, s.additionalProperties)}`;
    return 'object';
  }
  if (s['x-kubernetes-preserve-unknown-fields']) return 'any';
  return s.type ?? 'any';
}
