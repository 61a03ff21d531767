import type { KindSchema, SchemaNode } from './types';

/** Shape of server/generated/k8s-schemas.json (written by server/scripts/gen-k8s-schemas.ts). */
export interface BuiltinData {
  readonly clientVersion: string;
  readonly kinds: readonly { group: string; version: string; kind: string; ref: string; namespaced: boolean }[];
  readonly definitions: Readonly<Record<string, SchemaNode>>;
}

let loaded: BuiltinData | undefined;

/** The generated built-in Kubernetes schemas, loaded once on first use. */
export function builtinData(): BuiltinData {
  // require (not import) so the type checker does not infer a type from the 800 kB JSON; esbuild inlines it.
  loaded ??= require('../../generated/k8s-schemas.json') as BuiltinData;
  return loaded;
}

export function builtinKinds(data: BuiltinData): KindSchema[] {
  return data.kinds.map((k) => ({
    group: k.group,
    version: k.version,
    kind: k.kind,
    schema: { $ref: k.ref },
    served: true,
    storage: true,
    deprecated: false,
    namespaced: k.namespaced,
    source: 'builtin' as const,
  }));
}

/** The built-in ObjectMeta schema: CRD schemas leave `metadata` as a bare object. */
export const OBJECT_META_REF = 'V1ObjectMeta';
