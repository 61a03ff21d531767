/**
 * A folder's kustomization file, found and read as kustomize does: one of `kustomization.yaml`,
 * `kustomization.yml`, `Kustomization` (two is an error), its fields checked against kustomize's
 * Kustomization type (an unknown field or a value of the wrong type fails the build), kind and apiVersion
 * checked, `bases` appended to `resources` and `imageTags` to `images`.
 */
import * as path from 'node:path';
import { KUSTOMIZATION_FILE_NAMES, type KustomizeReader } from './files';
import { BuildError, wholeFile } from './problems';
import { deleteMember, isMap, isSeq, member, memberOrigin, originOf, scalarText, type Origin, type Value, type ValueMap } from './values';
import { parseYamlDocuments, type ParseCache } from './yamlValues';

export const KUSTOMIZATION_KIND = 'Kustomization';
const COMPONENT_KIND = 'Component';
const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';
const COMPONENT_VERSION = 'kustomize.config.k8s.io/v1alpha1';

export interface KustomizationFile {
  /** Absolute path of the file (for a kustomization Flux generates, the path it would have). */
  readonly file: string;
  readonly dir: string;
  readonly isComponent: boolean;
  /** The top-level mapping, with origins. */
  readonly fields: ValueMap;
}

/** A string entry of a list field, with where it is written. */
export interface Entry<T = string> {
  readonly value: T;
  readonly origin: Origin;
}

/** The kustomization file of a folder, or undefined when it has none; two of them is an error. */
export function findKustomizationFile(reader: KustomizeReader, dir: string): string | undefined {
  const found = KUSTOMIZATION_FILE_NAMES.map((name) => path.join(dir, name)).filter((file) => reader.readFile(file) !== undefined);
  if (found.length > 1) throw new BuildError(`Found multiple kustomization files under: ${dir}`, wholeFile(found[1]!));
  return found[0];
}

/**
 * Reads a kustomization file. kustomize rejects unknown fields; Flux first rewrites the kustomization of
 * its spec.path through its Go type, which drops them (`strict: false`, reporting each dropped field).
 */
export function parseKustomization(
  file: string,
  text: string,
  options: { readonly strict: boolean; readonly cache?: ParseCache | undefined; readonly dropped?: (key: string, origin: Origin) => void } = { strict: true },
): KustomizationFile {
  const parsed = parseYamlDocuments(file, text, { yaml11: true, cache: options.cache });
  if (parsed.problem) throw new BuildError(`invalid Kustomization: ${parsed.problem.message}`, parsed.problem.origin);
  const first = parsed.documents.find((d) => d.value !== undefined && d.value !== null);
  const fields = first?.value;
  if (fields === undefined) throw new BuildError('kustomization.yaml is empty', wholeFile(file));
  if (!isMap(fields)) throw new BuildError('invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization', first!.origin);
  if (!options.strict) {
    for (const key of Object.keys(fields)) {
      if (KNOWN_FIELDS.has(key)) continue;
      options.dropped?.(key, fieldOrigin(fields, key));
      deleteMember(fields, key);
    }
  }
  checkShape(fields, KUSTOMIZATION_SHAPE, 'Kustomization', fields);
  const kind = scalarText(member(fields, 'kind')) || KUSTOMIZATION_KIND;
  const apiVersion = scalarText(member(fields, 'apiVersion'));
  if (kind !== KUSTOMIZATION_KIND && kind !== COMPONENT_KIND) {
    throw new BuildError(`Failed to read kustomization file under ${path.dirname(file)}:\nkind should be ${KUSTOMIZATION_KIND} or ${COMPONENT_KIND}`, fieldOrigin(fields, 'kind'));
  }
  const required = kind === COMPONENT_KIND ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  if (apiVersion !== '' && apiVersion !== required) {
    throw new BuildError(`Failed to read kustomization file under ${path.dirname(file)}:\napiVersion for ${kind} should be ${required}`, fieldOrigin(fields, 'apiVersion'));
  }
  const meaningful = Object.keys(fields).filter((key) => key !== 'apiVersion' && key !== 'kind' && fields[key] !== null);
  if (meaningful.length === 0) throw new BuildError('kustomization.yaml is empty', first!.origin);
  return { file, dir: path.dirname(file), isComponent: kind === COMPONENT_KIND, fields };
}

/** Where a top-level field's value is written (the file when absent). */
export function fieldOrigin(fields: ValueMap, key: string): Origin {
  return memberOrigin(fields, key) ?? originOf(fields) ?? wholeFile('');
}

/** The string entries of a list field. */
export function stringEntries(fields: ValueMap, key: string): Entry[] {
  const list = member(fields, key);
  if (!isSeq(list)) return [];
  return list.map((value, i) => ({ value: scalarText(value), origin: memberOrigin(list, i) ?? fieldOrigin(fields, key) }));
}

/** The mapping entries of a list field. */
export function mapEntries(fields: ValueMap, key: string): Entry<ValueMap>[] {
  const list = member(fields, key);
  if (!isSeq(list)) return [];
  return list.filter(isMap).map((value) => ({ value, origin: originOf(value) ?? fieldOrigin(fields, key) }));
}

/** A string-to-string map field as plain strings. */
export function stringMap(value: Value | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (isMap(value)) for (const key of Object.keys(value)) result[key] = scalarText(value[key]);
  return result;
}

// The Kustomization type, as far as decoding it goes: kustomize decodes the file as JSON into its Go types
// and rejects unknown fields, and values of the wrong JSON type.
type Shape = 'string' | 'bool' | 'int' | 'any' | { readonly list: Shape } | { readonly map: Shape } | { readonly object: Readonly<Record<string, Shape>>; readonly goType: string };

const STRINGS: Shape = { list: 'string' };
const STRING_MAP: Shape = { map: 'string' };
const object = (goType: string, fields: Record<string, Shape>): Shape => ({ object: fields, goType });
const RES_ID = { group: 'string', version: 'string', kind: 'string', name: 'string', namespace: 'string' } as const;
const SELECTOR = object('types.Selector', { ...RES_ID, labelSelector: 'string', annotationSelector: 'string' });
const FIELD_SPEC = object('types.FieldSpec', { group: 'string', version: 'string', kind: 'string', path: 'string', create: 'bool' });
const PATCH = object('types.Patch', { path: 'string', patch: 'string', target: SELECTOR, options: object('types.PatchArgs', { allowNameChange: 'bool', allowKindChange: 'bool' }) });
const IMAGE = object('types.Image', { name: 'string', newName: 'string', tagSuffix: 'string', newTag: 'string', digest: 'string' });
const GENERATOR_OPTIONS = object('types.GeneratorOptions', { labels: STRING_MAP, annotations: STRING_MAP, disableNameSuffixHash: 'bool', immutable: 'bool' });
const GENERATOR_ARGS = {
  namespace: 'string',
  name: 'string',
  behavior: 'string',
  literals: STRINGS,
  files: STRINGS,
  envs: STRINGS,
  env: 'string',
  options: GENERATOR_OPTIONS,
} as const;
const FIELD_OPTIONS = object('types.FieldOptions', { delimiter: 'string', index: 'int', encoding: 'string', create: 'bool' });
const REPLACEMENT = object('types.ReplacementField', {
  source: object('types.SourceSelector', { ...RES_ID, fieldPath: 'string', options: FIELD_OPTIONS }),
  targets: { list: object('types.TargetSelector', { select: SELECTOR, reject: { list: SELECTOR }, fieldPaths: STRINGS, options: FIELD_OPTIONS }) },
  sourceValue: 'string',
  path: 'string',
});

const KUSTOMIZATION_SHAPE: Shape = object('types.Kustomization', {
  apiVersion: 'string',
  kind: 'string',
  metadata: 'any',
  openapi: STRING_MAP,
  namePrefix: 'string',
  nameSuffix: 'string',
  namespace: 'string',
  commonLabels: STRING_MAP,
  labels: { list: object('types.Label', { pairs: STRING_MAP, includeSelectors: 'bool', includeTemplates: 'bool', includeVolumeClaimTemplates: 'bool', fields: { list: FIELD_SPEC } }) },
  commonAnnotations: STRING_MAP,
  patchesStrategicMerge: STRINGS,
  patchesJson6902: { list: PATCH },
  patches: { list: PATCH },
  images: { list: IMAGE },
  imageTags: { list: IMAGE },
  replacements: { list: REPLACEMENT },
  replicas: { list: object('types.Replica', { name: 'string', count: 'int' }) },
  vars: { list: 'any' },
  sortOptions: 'any',
  resources: STRINGS,
  components: STRINGS,
  crds: STRINGS,
  bases: STRINGS,
  configMapGenerator: { list: object('types.ConfigMapArgs', GENERATOR_ARGS) },
  secretGenerator: { list: object('types.SecretArgs', { ...GENERATOR_ARGS, type: 'string' }) },
  helmGlobals: 'any',
  helmCharts: { list: 'any' },
  helmChartInflationGenerator: { list: 'any' },
  generatorOptions: GENERATOR_OPTIONS,
  configurations: STRINGS,
  generators: STRINGS,
  transformers: STRINGS,
  validators: STRINGS,
  buildMetadata: STRINGS,
});

const KNOWN_FIELDS = new Set(Object.keys((KUSTOMIZATION_SHAPE as { object: Record<string, Shape> }).object));

const jsonType = (value: Value): string =>
  typeof value === 'string' ? 'string' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : Array.isArray(value) ? 'array' : 'object';

const GO_TYPES: Record<'string' | 'bool' | 'int', string> = { string: 'string', bool: 'bool', int: 'int64' };

function checkShape(value: Value, shape: Shape, where: string, container: ValueMap | Value[], key?: string | number): void {
  if (value === null || shape === 'any') return;
  const origin = (key !== undefined ? memberOrigin(container, key) : originOf(value)) ?? originOf(container) ?? wholeFile('');
  const mismatch = (goType: string): never => {
    throw new BuildError(`invalid Kustomization: json: cannot unmarshal ${jsonType(value)} into Go struct field ${where} of type ${goType}`, origin);
  };
  if (shape === 'string' || shape === 'bool' || shape === 'int') {
    const ok = shape === 'string' ? typeof value === 'string' : shape === 'bool' ? typeof value === 'boolean' : typeof value === 'number' && Number.isInteger(value);
    if (!ok) mismatch(GO_TYPES[shape]);
    return;
  }
  if ('list' in shape) {
    if (!isSeq(value)) mismatch(`[]${describeShape(shape.list)}`);
    (value as Value[]).forEach((item, i) => checkShape(item, shape.list, where, value as Value[], i));
    return;
  }
  if ('map' in shape) {
    if (!isMap(value)) mismatch(`map[string]${describeShape(shape.map)}`);
    for (const k of Object.keys(value as ValueMap)) checkShape((value as ValueMap)[k]!, shape.map, where, value as ValueMap, k);
    return;
  }
  if (!isMap(value)) mismatch(shape.goType);
  const map = value as ValueMap;
  for (const k of Object.keys(map)) {
    const fieldShape = shape.object[k];
    if (!fieldShape) throw new BuildError(`invalid Kustomization: json: unknown field "${k}"`, memberOrigin(map, k) ?? origin);
    checkShape(map[k]!, fieldShape, `${shape.goType.replace(/^types\./, '')}.${k}`, map, k);
  }
}

function describeShape(shape: Shape): string {
  if (typeof shape === 'string') return shape === 'any' ? 'interface {}' : GO_TYPES[shape];
  if ('list' in shape) return `[]${describeShape(shape.list)}`;
  if ('map' in shape) return `map[string]${describeShape(shape.map)}`;
  return shape.goType;
}
