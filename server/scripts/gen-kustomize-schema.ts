// Development-time generator of server/src/kustomize/builtinSchema.json, the data kustomize v5.8.2's build
// embeds (Apache-2.0), read from the Go module cache where `go install
// sigs.k8s.io/kustomize/kustomize/v5@v5.8.2` (test/setup/kustomize.sh) puts it:
// - from kyaml's OpenAPI document (kubernetes-openapi-union-v1.21.2 bundle): the strategic-merge list
//   strategies and merge keys reachable from each built-in kind (the only part of the schema kyaml's merge
//   reads: maps always merge, other lists are replaced);
// - which apiVersion/kind pairs are cluster-scoped (kyaml's precomputed table, then the bundle's scopes);
// - the default transformer configuration (api/internal/konfig/builtinpluginconsts): which fields of which
//   kinds the namespace, name prefix/suffix, labels, annotations, images, replicas and name references touch.
// Run: node --import tsx server/scripts/gen-kustomize-schema.ts
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'yaml';

const KYAML = 'sigs.k8s.io/kustomize/kyaml@v0.21.2';
const API = 'sigs.k8s.io/kustomize/api@v0.21.2';
const modCache = execFileSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim();
const kyamlDir = join(modCache, KYAML);
const bundle = JSON.parse(gunzipSync(readFileSync(join(kyamlDir, 'openapi/kubernetesapi/data/kubernetes-openapi-union-v1.21.2.bundle-v1.json.gz'))).toString('utf8')) as {
  definitions: Record<string, OpenApiSchema>;
  resources: { apiVersion: string; kind: string; definition: string; scope?: string }[];
};

interface OpenApiSchema {
  type?: string;
  $ref?: string;
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-map-keys'?: string[];
}

/** One field of a definition as the merge needs it: the definition it leads to and, for lists, how they merge. */
interface Field {
  ref?: string;
  strategy?: string;
  keys?: string[];
}

const refName = (s: OpenApiSchema | undefined): string | undefined => s?.$ref?.replace('#/definitions/', '');

function fieldOf(schema: OpenApiSchema): Field {
  const field: Field = {};
  const target = schema.type === 'array' ? schema.items : schema;
  const ref = refName(target);
  if (ref) field.ref = ref;
  const strategy = schema['x-kubernetes-patch-strategy'];
  if (schema.type === 'array' && strategy) {
    field.strategy = strategy;
    const keys = schema['x-kubernetes-list-map-keys'] ?? (schema['x-kubernetes-patch-merge-key'] ? [schema['x-kubernetes-patch-merge-key']] : []);
    if (keys.length) field.keys = keys;
  }
  return field;
}

/** Fields by definition, `*` standing for additionalProperties. */
const fields = new Map<string, Map<string, Field>>();
for (const [name, def] of Object.entries(bundle.definitions)) {
  const own = new Map<string, Field>();
  for (const [key, schema] of Object.entries(def.properties ?? {})) own.set(key, fieldOf(schema));
  if (typeof def.additionalProperties === 'object') own.set('*', fieldOf(def.additionalProperties));
  fields.set(name, own);
}

// A definition matters when one of its fields has a list strategy or leads to a definition that matters.
const relevant = new Set<string>();
for (let changed = true; changed; ) {
  changed = false;
  for (const [name, own] of fields) {
    if (relevant.has(name)) continue;
    if ([...own.values()].some((f) => f.strategy || (f.ref && relevant.has(f.ref)))) {
      relevant.add(name);
      changed = true;
    }
  }
}

const definitions: Record<string, Record<string, Field>> = {};
for (const name of [...relevant].sort()) {
  const kept: Record<string, Field> = {};
  for (const [key, field] of fields.get(name)!) {
    const ref = field.ref && relevant.has(field.ref) ? field.ref : undefined;
    if (!ref && !field.strategy) continue;
    kept[key] = { ...(ref ? { ref } : {}), ...(field.strategy ? { strategy: field.strategy } : {}), ...(field.keys ? { keys: field.keys } : {}) };
  }
  definitions[name] = kept;
}

const kinds: Record<string, string> = {};
for (const r of bundle.resources) if (relevant.has(r.definition)) kinds[`${r.apiVersion}|${r.kind}`] ??= r.definition;

// kyaml answers "is it namespaced" from its precomputed table first, then from the bundle's scopes.
const openapiGo = readFileSync(join(kyamlDir, 'openapi/openapi.go'), 'utf8');
const precomputed = new Map<string, boolean>();
const table = /precomputedIsNamespaceScoped = map\[yaml\.TypeMeta\]bool\{([\s\S]*?)\n\}/.exec(openapiGo)?.[1] ?? '';
for (const m of table.matchAll(/\{APIVersion: "([^"]+)", Kind: "([^"]+)"\}:\s*(true|false)/g)) precomputed.set(`${m[1]}|${m[2]}`, m[3] === 'true');
if (precomputed.size < 50) throw new Error(`kyaml's precomputed scope table not found in ${join(kyamlDir, 'openapi/openapi.go')}`);
const scopes = new Map(precomputed);
for (const r of bundle.resources) {
  const key = `${r.apiVersion}|${r.kind}`;
  if (!scopes.has(key) && (r.scope === 'Cluster' || r.scope === 'Namespaced')) scopes.set(key, r.scope === 'Namespaced');
}
const clusterScoped = [...scopes].filter(([, namespaced]) => !namespaced).map(([key]) => key).sort();

// The default field specs are YAML in Go string constants, some built by concatenating others.
const constsDir = join(modCache, API, 'internal/konfig/builtinpluginconsts');
const goConsts = new Map<string, string>();
const goSources = ['commonannotations', 'commonlabels', 'images', 'metadatalabels', 'nameprefix', 'namereference', 'namespace', 'namesuffix', 'replicas', 'templatelabels', 'varreference', 'volumeclaimmetadatalabels'].map((f) =>
  readFileSync(join(constsDir, `${f}.go`), 'utf8'),
);
const definitionsOf = (source: string) => [...source.matchAll(/(\w+)\s*=\s*`([^`]*)`((?:\s*\+\s*\w+)*)/g)];
for (let pass = 0; pass < 3; pass++) {
  for (const source of goSources) {
    for (const [, name, text, rest] of definitionsOf(source)) {
      const parts = (rest ?? '').split('+').map((p) => p.trim()).filter(Boolean);
      if (parts.every((p) => goConsts.has(p))) goConsts.set(name!, text! + parts.map((p) => goConsts.get(p)).join(''));
    }
  }
}
const fieldSpecs: Record<string, unknown> = {};
for (const name of ['namePrefixFieldSpecs', 'nameSuffixFieldSpecs', 'commonLabelFieldSpecs', 'templateLabelFieldSpecs', 'volumeClaimTemplateLabelFieldSpecs', 'commonAnnotationFieldSpecs', 'namespaceFieldSpecs', 'nameReferenceFieldSpecs', 'imagesFieldSpecs', 'replicasFieldSpecs']) {
  const text = goConsts.get(name);
  if (!text) throw new Error(`${name} not found in ${constsDir}`);
  Object.assign(fieldSpecs, parse(text));
}

const out = join(__dirname, '..', 'src', 'kustomize', 'builtinSchema.json');
writeFileSync(out, `${JSON.stringify({ source: `${KYAML} kubernetes-openapi-union-v1.21.2, ${API} builtinpluginconsts (Apache-2.0)`, kinds, definitions, clusterScoped, fieldSpecs }, null, 1)}\n`);
console.log(`${out}: ${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions, ${clusterScoped.length} cluster-scoped kinds, field specs: ${Object.keys(fieldSpecs).join(' ')}`);
