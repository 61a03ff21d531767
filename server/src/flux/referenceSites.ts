/**
 * The places in one object that reference another object, read from the YAML AST so each has
 * ranges: the reference fields of fluxKnowledge (`spec.sourceRef`, `spec.dependsOn[]`, ...).
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Scalar, type YAMLMap } from 'yaml';
import { referenceFieldsOf, type ReferenceField } from '../schema/fluxKnowledge';

export interface ReferenceSite {
  readonly field: ReferenceField;
  /** The mapping holding name/kind/namespace. */
  readonly map: YAMLMap;
  readonly name?: string;
  readonly nameNode?: Scalar;
  /** The kind written in the reference, or the implied one when the field carries none. */
  readonly kind?: string;
  readonly kindNode?: Scalar;
  readonly namespace?: string;
  readonly namespaceNode?: Scalar;
  /** `optional: true` (valuesFrom, substituteFrom): Flux skips the entry when its target is missing. */
  readonly optional: boolean;
}

function stringAt(map: YAMLMap, key: string): { value?: string; node?: Scalar } {
  const node = map.get(key, true);
  if (!isScalar(node)) return {};
  return typeof node.value === 'string' ? { value: node.value, node } : { node };
}

/** Nodes at a dotted path where `x[]` steps into every item of the sequence `x`. */
function nodesAt(root: unknown, path: string): Node[] {
  let current: unknown[] = [root];
  for (const segment of path.split('.')) {
    const many = segment.endsWith('[]');
    const key = many ? segment.slice(0, -2) : segment;
    const next: unknown[] = [];
    for (const node of current) {
      if (!isMap(node)) continue;
      const child = node.get(key, true);
      if (many) {
        if (isSeq(child)) next.push(...child.items);
      } else if (child !== undefined) next.push(child);
    }
    current = next;
  }
  return current.filter((n): n is Node => isMap(n));
}

export function referenceSites(doc: Document.Parsed, ownerKind: string): ReferenceSite[] {
  const sites: ReferenceSite[] = [];
  for (const field of referenceFieldsOf(ownerKind)) {
    for (const node of nodesAt(doc.contents, field.path)) {
      const map = node as YAMLMap;
      const name = stringAt(map, 'name');
      const kind = field.kindField ? stringAt(map, 'kind') : { value: field.kinds[0] };
      const namespace = stringAt(map, 'namespace');
      const optional = map.get('optional', true);
      // Built field by field: spreading optional fields in (`...(x ? { x } : {})`) was a runtime
      // object copy per field, and the first large file re-optimised it.
      const site: { -readonly [K in keyof ReferenceSite]: ReferenceSite[K] } = { field, map, optional: isScalar(optional) && optional.value === true };
      if (name.value !== undefined) site.name = name.value;
      if (name.node) site.nameNode = name.node;
      if (kind.value !== undefined) site.kind = kind.value;
      if ('node' in kind && kind.node) site.kindNode = kind.node;
      if (namespace.value !== undefined) site.namespace = namespace.value;
      if (namespace.node) site.namespaceNode = namespace.node;
      sites.push(site);
    }
  }
  return sites;
}
