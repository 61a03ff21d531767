/**
 * Field specs: which field of which kinds a builtin transformer touches (kustomize's transformer
 * configuration), the defaults kustomize embeds, the `configurations:` files that add to them, and the
 * walk that applies a setter at a spec's path (kustomize's fieldspec filter: `a/b/c`, `[]` marking a
 * sequence, sequences met on the way walked element by element, missing maps created when asked).
 */
import builtinSchema from './builtinSchema.json';
import { BuildError } from './problems';
import { isMap, isSeq, member, newMap, newSeq, setMember, type Origin, type Value, type ValueMap } from './values';
import type { Resource } from './resource';

export interface FieldSpec {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly path: string;
  readonly create?: boolean;
}

export interface NameBackReference {
  readonly group?: string;
  readonly version?: string;
  readonly kind: string;
  readonly fieldSpecs: readonly FieldSpec[];
}

/** The transformer configuration of an accumulation (kustomize's TransformerConfig). */
export interface TransformerConfig {
  readonly namePrefix: readonly FieldSpec[];
  readonly nameSuffix: readonly FieldSpec[];
  readonly namespace: readonly FieldSpec[];
  readonly commonLabels: readonly FieldSpec[];
  readonly labels: readonly FieldSpec[];
  readonly templateLabels: readonly FieldSpec[];
  readonly volumeClaimTemplateLabels: readonly FieldSpec[];
  readonly commonAnnotations: readonly FieldSpec[];
  readonly nameReference: readonly NameBackReference[];
  readonly images: readonly FieldSpec[];
  readonly replicas: readonly FieldSpec[];
}

type FieldSpecList = Exclude<keyof TransformerConfig, 'nameReference'>;
export const FIELD_SPEC_LISTS: readonly FieldSpecList[] = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'templateLabels',
  'volumeClaimTemplateLabels',
  'commonAnnotations',
  'images',
  'replicas',
];

const defaults = builtinSchema.fieldSpecs as unknown as Partial<TransformerConfig>;

const EMPTY_CONFIG: TransformerConfig = {
  namePrefix: [],
  nameSuffix: [],
  namespace: [],
  commonLabels: [],
  labels: [],
  templateLabels: [],
  volumeClaimTemplateLabels: [],
  commonAnnotations: [],
  nameReference: [],
  images: [],
  replicas: [],
};

/** A configuration with no field specs (the same object every time: merging it is free). */
export function emptyConfig(): TransformerConfig {
  return EMPTY_CONFIG;
}

/** A new configuration with no field specs, to fill. */
export function newConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    labels: [],
    templateLabels: [],
    volumeClaimTemplateLabels: [],
    commonAnnotations: [],
    nameReference: [],
    images: [],
    replicas: [],
  };
}

export const DEFAULT_CONFIG: TransformerConfig = { ...newConfig(), ...defaults };

/** kustomize's "effectively equal": same path, and the existing spec's kind is among those the new one selects. */
const coveredBy = (existing: FieldSpec, incoming: FieldSpec): boolean =>
  existing.path === incoming.path &&
  (!incoming.group || incoming.group === existing.group) &&
  (!incoming.version || incoming.version === existing.version) &&
  (!incoming.kind || incoming.kind === existing.kind);

/** Field specs of `b` not already covered in `a`, appended. */
export function mergeSpecs(a: readonly FieldSpec[], b: readonly FieldSpec[]): FieldSpec[] {
  const merged = [...a];
  for (const spec of b) if (!merged.some((m) => coveredBy(m, spec))) merged.push(spec);
  return merged;
}

function mergeBackReferences(a: readonly NameBackReference[], b: readonly NameBackReference[]): NameBackReference[] {
  const merged = [...a];
  for (const ref of b) {
    const i = merged.findIndex((m) => m.kind === ref.kind && (m.group ?? '') === (ref.group ?? '') && (m.version ?? '') === (ref.version ?? ''));
    if (i < 0) merged.push(ref);
    else merged[i] = { ...merged[i]!, fieldSpecs: mergeSpecs(merged[i]!.fieldSpecs, ref.fieldSpecs) };
  }
  return merged;
}

/** `a` with the field specs of `b` it lacks. Configurations are shared, never changed: the same one twice costs nothing. */
export function mergeConfigs(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b || b === EMPTY_CONFIG) return a;
  if (a === EMPTY_CONFIG) return b;
  const merged = { ...a } as Record<keyof TransformerConfig, unknown>;
  for (const list of FIELD_SPEC_LISTS) merged[list] = mergeSpecs(a[list], b[list]);
  merged.nameReference = mergeBackReferences(a.nameReference, b.nameReference);
  return merged as unknown as TransformerConfig;
}

/** Whether a spec's kind/group/version select this object (empty parts select anything). */
function specSelects(spec: { group?: string; version?: string; kind?: string }, resource: Resource): boolean {
  const gvk = resource.gvk();
  return (!spec.kind || spec.kind === gvk.kind) && (!spec.group || spec.group === gvk.group) && (!spec.version || spec.version === gvk.version);
}

/** kyaml's path splitting: `/`-separated, `\/` escaping a slash inside a key, a leading `/` ignored. */
function splitSpecPath(path: string): string[] {
  const parts = path.split('/');
  if (parts.length > 1 && parts[0] === '') parts.shift();
  const result: string[] = [parts[0]!];
  for (const part of parts.slice(1)) {
    const last = result.length - 1;
    if (result[last]!.endsWith('\\')) result[last] = `${result[last]!.slice(0, -1)}/${part}`;
    else result.push(part);
  }
  return result;
}

/**
 * Called with the container and key of each field a spec reaches (after creating it when the spec says
 * so); edits in place. The field may hold any kind of node: the setter decides what it accepts.
 */
type FieldSetter = (container: ValueMap | Value[], key: string | number) => void;

/** What a missing leaf is created as when the spec says `create`: a scalar (names), a map (labels), or nothing. */
export type CreateKind = 'scalar' | 'map' | 'none';

/**
 * Applies `set` at `spec.path` in the resource when the spec selects it. A path running into a scalar is
 * kustomize's "expected sequence or mapping node" error.
 */
export function applyFieldSpec(resource: Resource, spec: FieldSpec, createKind: CreateKind, set: FieldSetter, origin?: Origin): void {
  if (!specSelects(spec, resource)) return;
  const walker = new SpecWalker(resource, spec, createKind, set, origin);
  walker.inMap(resource.obj, splitSpecPath(spec.path));
}

class SpecWalker {
  constructor(
    private readonly resource: Resource,
    private readonly spec: FieldSpec,
    private readonly createKind: CreateKind,
    private readonly set: FieldSetter,
    private readonly origin: Origin | undefined,
  ) {}

  private at(container: ValueMap | Value[], key: string | number, path: readonly string[]): void {
    if (path.length === 0) {
      this.set(container, key);
      return;
    }
    const node = (container as Record<string | number, Value>)[key];
    if (node === null || node === undefined) return;
    if (isSeq(node)) for (let i = 0; i < node.length; i++) this.at(node, i, path);
    else if (isMap(node)) this.inMap(node, path);
    else this.fail('expected sequence or mapping node');
  }

  inMap(map: ValueMap, path: readonly string[]): void {
    const isSeqField = path[0]!.endsWith('[]');
    const name = isSeqField ? path[0]!.slice(0, -2) : path[0]!;
    if (name === '') this.fail('cannot set or create an empty field name');
    const rest = path.slice(1);
    const create = !!this.spec.create && this.createKind !== 'none' && !isSeqField;
    const current = member(map, name);
    if (current === undefined) {
      if (!create) return;
      setMember(map, name, rest.length === 0 ? (this.createKind === 'map' ? newMap(this.origin) : '') : newMap(this.origin), this.origin);
    } else if (current === null && (isSeqField || create)) {
      // kyaml turns a null field into the kind it would have created.
      setMember(map, name, isSeqField ? newSeq(this.origin) : rest.length === 0 && this.createKind === 'scalar' ? '' : newMap(this.origin), this.origin);
    }
    this.at(map, name, rest);
  }

  private fail(reason: string): never {
    throw new BuildError(`considering field '${this.spec.path}' of object ${describe(this.resource)}: ${reason}`, this.resource.origin);
  }
}

/** kyaml's resid text of the object, as its errors print it. */
function describe(resource: Resource): string {
  const id = resource.curId();
  return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}
