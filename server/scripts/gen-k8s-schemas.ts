// Build-time generator: derives schemas of the built-in Kubernetes kinds from @kubernetes/client-node's
// generated models (attributeTypeMap for names/types, the .d.ts doc comments for descriptions and `?`
// for required-ness) and the API classes (which group/version and path create each kind).
// Output: server/generated/k8s-schemas.json, read by server/src/schema/builtin.ts.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as k8s from '@kubernetes/client-node';
import type { SchemaNode } from '../src/schema/types';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}
interface BuiltinKind {
  group: string;
  version: string;
  kind: string;
  ref: string;
  namespaced: boolean;
}

const root = join(__dirname, '..', '..');
const out = join(root, 'server', 'generated', 'k8s-schemas.json');
const pkgDir = dirname(createRequire(join(root, 'package.json')).resolve('@kubernetes/client-node/package.json'));
const genDir = join(pkgDir, 'dist', 'gen');
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version as string;

if (existsSync(out) && statSync(out).mtimeMs > statSync(__filename).mtimeMs) {
  const previous = JSON.parse(readFileSync(out, 'utf8')) as { clientVersion?: string };
  if (previous.clientVersion === version) process.exit(0);
}

const models = k8s as unknown as Record<string, { getAttributeTypeMap?: () => Attribute[] }>;

/** Fields whose maps hold resource quantities: Kubernetes accepts numbers or strings there. */
const QUANTITY_MAPS = new Set(['limits', 'requests', 'hard', 'used', 'capacity', 'allocatable']);

/** Descriptions and optional marks of one model, read from its .d.ts doc comments. */
function readDeclarations(model: string): { description?: string; fields: Map<string, { description?: string; optional: boolean }> } {
  const fields = new Map<string, { description?: string; optional: boolean }>();
  const file = join(genDir, 'models', `${model}.d.ts`);
  if (!existsSync(file)) return { fields };
  let comment: string | undefined;
  let description: string | undefined;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line.startsWith('/**')) comment = '';
    else if (comment !== undefined && line.startsWith('*/')) continue;
    else if (comment !== undefined && line.startsWith('*')) comment += (comment ? '\n' : '') + line.replace(/^\*\s?/, '').replace(/\\(['"])/g, '$1');
    const field = /^'([^']+)'(\??):/.exec(line);
    if (field) {
      fields.set(field[1]!, { description: comment || undefined, optional: field[2] === '?' });
      comment = undefined;
    } else if (line.startsWith('export declare class')) {
      description = comment || undefined;
      comment = undefined;
    }
  }
  return { description, fields };
}

const definitions: Record<string, SchemaNode> = {};

function typeSchema(type: string, format: string, fieldName: string): SchemaNode {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return { type: 'array', items: typeSchema(array[1]!, '', '') };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    const values = QUANTITY_MAPS.has(fieldName) && map[1] === 'string' ? { 'x-kubernetes-int-or-string': true } : typeSchema(map[1]!, '', '');
    return { type: 'object', additionalProperties: values };
  }
  switch (type) {
    case 'string':
      return format ? { type: 'string', format } : { type: 'string' };
    case 'number':
      return { type: format.startsWith('int') ? 'integer' : 'number' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    case 'any':
    case 'object':
      return { 'x-kubernetes-preserve-unknown-fields': true };
    default:
      if (models[type]?.getAttributeTypeMap) {
        define(type);
        return { $ref: type };
      }
      return { 'x-kubernetes-preserve-unknown-fields': true };
  }
}

function define(model: string): void {
  if (model in definitions) return;
  definitions[model] = {}; // placeholder against recursion (JSONSchemaProps refers to itself)
  const attributes = models[model]!.getAttributeTypeMap!();
  const decl = readDeclarations(model);
  const properties: Record<string, SchemaNode> = {};
  const required: string[] = [];
  for (const a of attributes) {
    const field = decl.fields.get(a.name);
    const schema = typeSchema(a.type, a.format, a.baseName);
    properties[a.baseName] = field?.description ? { ...schema, description: field.description } : schema;
    if (field && !field.optional) required.push(a.baseName);
  }
  definitions[model] = {
    type: 'object',
    ...(decl.description ? { description: decl.description } : {}),
    properties,
    ...(required.length ? { required } : {}),
  };
}

/** Kinds with their group/version: every `create` path of the API classes whose body is a top-level model. */
function findKinds(): BuiltinKind[] {
  const kinds = new Map<string, BuiltinKind>();
  for (const file of readdirSync(join(genDir, 'apis')).filter((f) => f.endsWith('Api.js')).sort()) {
    const source = readFileSync(join(genDir, 'apis', file), 'utf8');
    const re = /localVarPath = '([^']+)'[\s\S]*?(?:ObjectSerializer\.serialize\(body, "(\w+)"|return requestContext;)/g;
    for (let m = re.exec(source); m; m = re.exec(source)) {
      const [, path, model] = m;
      if (!model || !path || path.includes('{name}')) continue;
      const attrs = models[model]?.getAttributeTypeMap?.() ?? [];
      if (!['apiVersion', 'kind', 'metadata'].every((n) => attrs.some((a) => a.baseName === n))) continue;
      const api = /^\/(?:api\/(v\w+)|apis\/([^/]+)\/(v\w+))\//.exec(path);
      if (!api) continue;
      const group = api[2] ?? '';
      const ver = api[1] ?? api[3]!;
      // CoreV1Event, EventsV1Event, ResourceV1ResourceClaim: drop the group prefix too.
      const kind = model.replace(/^(?:[A-Z][a-z]+)*V\d+(?:alpha\d+|beta\d+)?/, '');
      define(model);
      kinds.set(`${group}/${ver}/${kind}`, { group, version: ver, kind, ref: model, namespaced: path.includes('{namespace}') });
    }
  }
  return [...kinds.values()].sort((a, b) => `${a.group}/${a.kind}/${a.version}`.localeCompare(`${b.group}/${b.kind}/${b.version}`));
}

const kinds = findKinds();
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, JSON.stringify({ clientVersion: version, kinds, definitions }));
console.log(`gen-k8s-schemas: ${kinds.length} kinds, ${Object.keys(definitions).length} definitions → ${out}`);
