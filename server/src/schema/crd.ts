import { OBJECT_META_REF } from './builtin';
import type { KindSchema, SchemaNode, SchemaSource } from './types';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isCrdObject(value: unknown): value is Record<string, unknown> {
  return isRecord(value) && value.kind === 'CustomResourceDefinition' && typeof value.apiVersion === 'string' && value.apiVersion.startsWith('apiextensions.k8s.io/');
}

/**
 * The kinds a CustomResourceDefinition object defines, one per version. The schema objects are
 * the CRD's own (not copied). Malformed CRDs yield what can be read, never throw.
 */
export function kindsFromCrd(crd: unknown, source: SchemaSource, origin?: string): KindSchema[] {
  if (!isCrdObject(crd) || !isRecord(crd.spec)) return [];
  const spec = crd.spec;
  const names = isRecord(spec.names) ? spec.names : {};
  const group = typeof spec.group === 'string' ? spec.group : undefined;
  const kind = typeof names.kind === 'string' ? names.kind : undefined;
  if (!group || !kind) return [];
  const namespaced = spec.scope !== 'Cluster';
  const shared = isRecord(spec.validation) && isRecord(spec.validation.openAPIV3Schema) ? (spec.validation.openAPIV3Schema as SchemaNode) : undefined;
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isRecord) : typeof spec.version === 'string' ? [{ name: spec.version, served: true, storage: true }] : [];
  const result: KindSchema[] = [];
  for (const v of versions) {
    if (typeof v.name !== 'string') continue;
    const schema = isRecord(v.schema) && isRecord(v.schema.openAPIV3Schema) ? (v.schema.openAPIV3Schema as SchemaNode) : shared;
    result.push({
      group,
      version: v.name,
      kind,
      schema: schema && withObjectFields(schema),
      served: v.served !== false,
      storage: v.storage === true,
      deprecated: v.deprecated === true,
      ...(typeof v.deprecationWarning === 'string' ? { deprecationWarning: v.deprecationWarning } : {}),
      namespaced,
      source,
      ...(origin ? { origin } : {}),
    });
  }
  return result;
}

/**
 * CRD schemas leave `metadata` as a bare object (the API server owns it) and may omit apiVersion
 * and kind: give the root the built-in ObjectMeta and string apiVersion/kind through a shallow copy
 * of the root only, so no schema subtree is duplicated.
 */
function withObjectFields(root: SchemaNode): SchemaNode {
  const props = root.properties;
  if (!props || (props.metadata?.properties && props.apiVersion && props.kind)) return root;
  return {
    ...root,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      ...props,
      metadata: props.metadata?.properties ? props.metadata : { $ref: OBJECT_META_REF },
    },
  };
}
