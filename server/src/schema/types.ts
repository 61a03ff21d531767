/**
 * A schema node: the OpenAPI v3 structural-schema subset that CRDs use (`openAPIV3Schema`). CRD
 * schemas are used as they were parsed, never copied; the built-in Kubernetes schemas use the
 * same shape, sharing definitions through `$ref` (a key of the built-in definitions table).
 */
export interface SchemaNode {
  readonly type?: string;
  readonly description?: string;
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly required?: readonly string[];
  readonly items?: SchemaNode;
  readonly additionalProperties?: SchemaNode | boolean;
  readonly enum?: readonly unknown[];
  readonly pattern?: string;
  readonly default?: unknown;
  readonly format?: string;
  readonly nullable?: boolean;
  readonly anyOf?: readonly SchemaNode[];
  readonly oneOf?: readonly SchemaNode[];
  readonly allOf?: readonly SchemaNode[];
  readonly 'x-kubernetes-int-or-string'?: boolean;
  readonly 'x-kubernetes-preserve-unknown-fields'?: boolean;
  readonly 'x-kubernetes-embedded-resource'?: boolean;
  readonly $ref?: string;
}

/** Where a kind's schema came from, in decreasing preference. */
export type SchemaSource = 'live' | 'workspace' | 'paths' | 'cache' | 'builtin';
export const SOURCE_ORDER: readonly SchemaSource[] = ['live', 'workspace', 'paths', 'cache', 'builtin'];

/** One version of one kind, with its schema (the root object schema). */
export interface KindSchema {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly schema: SchemaNode | undefined;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated: boolean;
  readonly deprecationWarning?: string;
  readonly namespaced: boolean;
  readonly source: SchemaSource;
  /** The CRD's file, for CRDs found in files. */
  readonly origin?: string;
}

export function apiVersionOf(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Dependency key of a kind's schema, shared with the engine's revalidation. */
export function schemaKey(group: string, kind: string): string {
  return `schema:${group}/${kind}`;
}
