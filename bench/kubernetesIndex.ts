// The Kubernetes schema index yaml-language-server asks GitHub for (yannh/kubernetes-json-schema
// `all.json` plus the `_definitions.json` it refers to), derived here from @kubernetes/client-node's
// generated models so it is real data, not an empty stub: field names and types of a few built-in
// kinds, strict (no unknown fields) like the `-standalone-strict` original. The models carry no
// required-ness, so the index has none.
import * as k8s from '@kubernetes/client-node';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
}
interface Model {
  attributeTypeMap?: Attribute[];
}
type JsonSchema = Record<string, unknown>;

/** The built-in kinds of the benchmark fleet and their names in the upstream index. */
const KINDS: Record<string, string> = {
  V1Namespace: 'io.k8s.api.core.v1.Namespace',
  V1ConfigMap: 'io.k8s.api.core.v1.ConfigMap',
  V1Secret: 'io.k8s.api.core.v1.Secret',
  V1ServiceAccount: 'io.k8s.api.core.v1.ServiceAccount',
};

export interface KubernetesIndex {
  all: JsonSchema;
  definitions: JsonSchema;
  summary: string;
}

export function kubernetesIndex(): KubernetesIndex {
  const models = k8s as unknown as Record<string, Model | undefined>;
  const definitions: Record<string, JsonSchema> = {};
  const nameOf = (model: string) => KINDS[model] ?? model;

  const schemaOf = (type: string): JsonSchema => {
    const array = /^Array<(.+)>$/.exec(type);
    if (array) return { type: 'array', items: schemaOf(array[1]!) };
    const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
    if (map) return { type: 'object', additionalProperties: schemaOf(map[1]!) };
    switch (type) {
      case 'string':
        return { type: 'string' };
      case 'number':
        return { type: 'number' };
      case 'boolean':
        return { type: 'boolean' };
      case 'Date':
        return { type: 'string', format: 'date-time' };
      case 'IntOrString':
        return { type: ['string', 'integer'] };
      case 'any':
        return {};
    }
    define(type);
    return { $ref: `#/definitions/${nameOf(type)}` };
  };
  const define = (model: string): void => {
    const name = nameOf(model);
    if (definitions[name]) return;
    const attributes = models[model]?.attributeTypeMap;
    if (!attributes) throw new Error(`no @kubernetes/client-node model ${model}`);
    definitions[name] = { type: 'object', additionalProperties: false };
    const properties: Record<string, JsonSchema> = {};
    for (const attribute of attributes) properties[attribute.baseName] = schemaOf(attribute.type);
    definitions[name]!['properties'] = properties;
  };

  for (const model of Object.keys(KINDS)) define(model);
  return {
    all: { oneOf: Object.values(KINDS).map((name) => ({ $ref: `_definitions.json#/definitions/${name}` })) },
    definitions: { definitions },
    summary:
      `all.json with ${Object.keys(KINDS).length} built-in kinds (${Object.values(KINDS).map((n) => n.split('.').pop()).join(', ')}), ` +
      `_definitions.json with ${Object.keys(definitions).length} definitions derived from @kubernetes/client-node models`,
  };
}
