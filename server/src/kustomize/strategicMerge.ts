/**
 * Strategic-merge patches as kustomize applies them (kyaml's merge2 walk, list elements of the patch
 * first): maps merge key by key; a `null` in the patch deletes; `$patch: delete|replace|merge` directives
 * on maps and lists; lists whose Kubernetes schema says `x-kubernetes-patch-strategy: merge` merge their
 * elements by the merge keys (containers by name, ports by containerPort and protocol...) or, without keys,
 * as a set of scalars; every other list, and every list of a custom resource, is replaced whole. The
 * schema comes from the kind of the object (or of a nested object that names its apiVersion and kind).
 * Values taken from the patch keep the patch's origins.
 */
import builtinSchema from './builtinSchema.json';
import { BuildError } from './problems';
import { hasMember, isMap, isSeq, member, memberOrigin, scalarText, setMember, deleteMember, type Origin, type Value, type ValueMap } from './values';

interface FieldEntry {
  readonly ref?: string;
  readonly strategy?: string;
  readonly keys?: readonly string[];
}

const DEFINITIONS = builtinSchema.definitions as Record<string, Record<string, FieldEntry>>;
const KINDS = builtinSchema.kinds as Record<string, string>;

/** A schema position: the definition of a map, or of a list's elements with the list's strategy. */
interface SchemaAt {
  readonly def?: string;
  readonly strategy?: string;
  readonly keys?: readonly string[];
}

/** Marks a walk result that deletes the field (kyaml's ClearNode). */
const CLEAR = undefined;
type Walked = Value | typeof CLEAR;

/** Context for error messages and origins. */
interface MergeContext {
  readonly origin: Origin;
}

/**
 * Merges `patch` into `dest` in place and returns the merged object, or undefined when the patch deletes
 * it (`$patch: delete` at the top).
 */
export function strategicMerge(dest: ValueMap, patch: ValueMap, origin: Origin): ValueMap | undefined {
  const ctx: MergeContext = { origin };
  const result = walk(dest, patch, schemaOfObject(dest) ?? schemaOfObject(patch), ctx, { empty: false });
  return isMap(result) ? result : undefined;
}

function schemaOfObject(value: Value | undefined): SchemaAt | undefined {
  if (!isMap(value)) return undefined;
  const apiVersion = member(value, 'apiVersion');
  const kind = member(value, 'kind');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return undefined;
  const def = KINDS[`${apiVersion}|${kind}`];
  return def ? { def } : undefined;
}

function fieldSchema(schema: SchemaAt | undefined, key: string): SchemaAt | undefined {
  if (!schema?.def) return undefined;
  const fields = DEFINITIONS[schema.def];
  const entry = fields?.[key] ?? fields?.['*'];
  return entry ? { def: entry.ref, strategy: entry.strategy, keys: entry.keys } : undefined;
}

const missingOrNull = (v: Value | undefined): v is null | undefined => v === undefined || v === null;

type NodeKind = 'map' | 'seq' | 'scalar';
const kindOf = (v: Value): NodeKind => (isMap(v) ? 'map' : isSeq(v) ? 'seq' : 'scalar');
const KIND_NAMES: Record<NodeKind, string> = { map: 'MappingNode', seq: 'SequenceNode', scalar: 'ScalarNode' };

/** How the destination field was written when it is null: an empty value (`key:`) or a `null`/`~`. */
interface NullInfo {
  readonly empty: boolean;
}

function walk(dest: Value | undefined, patch: Value | undefined, schema: SchemaAt | undefined, ctx: MergeContext, destNull: NullInfo): Walked {
  const kind = !missingOrNull(dest) ? kindOf(dest) : !missingOrNull(patch) ? kindOf(patch) : undefined;
  for (const source of [dest, patch]) {
    if (!missingOrNull(source) && kind && kindOf(source) !== kind) {
      throw new BuildError(`wrong node kind: expected ${KIND_NAMES[kind]} but got ${KIND_NAMES[kindOf(source)]}`, ctx.origin);
    }
  }
  const here = schema ?? schemaOfObject(dest) ?? schemaOfObject(patch);
  if (kind === 'seq') return walkSeq(dest, patch, here, ctx);
  if (kind === 'scalar') return patch !== undefined ? nullToClear(patch) : dest;
  return walkMap(dest, patch, here, ctx, destNull);
}

/** A null set by the patch (or by a list) deletes the field. */
function nullToClear(value: Value): Walked {
  return value === null ? CLEAR : value;
}

function walkMap(dest: Value | undefined, patch: Value | undefined, schema: SchemaAt | undefined, ctx: MergeContext, destNull: NullInfo): Walked {
  let target: Value | undefined;
  if (missingOrNull(dest)) {
    const directive = mapDirective(patch, ctx, false);
    if (directive === 'delete') return CLEAR;
    // A null the patch does not touch stays when written as `null`/`~`, goes when written empty.
    if (patch === undefined && dest === null) return destNull.empty ? CLEAR : null;
    target = patch;
  } else if (patch === null) {
    return CLEAR;
  } else {
    const directive = mapDirective(patch, ctx, true);
    if (directive === 'delete') return CLEAR;
    target = directive === 'replace' ? patch : dest;
  }
  if (!isMap(target)) return target === null ? CLEAR : target;
  const source = isMap(patch) ? patch : undefined;
  const keys = [...new Set([...Object.keys(target), ...(source ? Object.keys(source) : [])])].sort();
  for (const key of keys) {
    const destValue = hasMember(target, key) ? target[key] : undefined;
    const patchValue = source && hasMember(source, key) ? source[key] : undefined;
    const origin = patchValue !== undefined && source ? memberOrigin(source, key) : memberOrigin(target, key);
    const empty = destValue === null && isEmptyText(memberOrigin(target, key));
    const merged = walk(destValue, patchValue, fieldSchema(schema, key), ctx, { empty });
    if (merged === CLEAR) {
      if (hasMember(target, key)) deleteMember(target, key);
    } else if (target !== source || merged !== destValue) {
      setMember(target, key, merged, origin);
    }
  }
  return target;
}

const isEmptyText = (origin: Origin | undefined): boolean => !origin || origin.start === origin.end;

type Directive = 'delete' | 'replace' | 'merge';

/** A map's `$patch` directive, removed from the patch as kyaml does; an unknown one is an error when `strict`. */
function mapDirective(patch: Value | undefined, ctx: MergeContext, strict: boolean): Directive {
  if (!isMap(patch) || !hasMember(patch, '$patch')) return 'merge';
  const value = scalarText(patch.$patch);
  if (value === 'delete' || value === 'replace' || value === 'merge') {
    deleteMember(patch, '$patch');
    return value;
  }
  if (strict) throw new BuildError(`unknown patch strategy '${value}'`, memberOrigin(patch, '$patch') ?? ctx.origin);
  return 'merge';
}

/** A list's directive: an element that is exactly `{$patch: x}` (with at most one other field), removed from the patch. */
function listDirective(patch: Value[], ctx: MergeContext): Directive {
  const element = patch.find((e) => isMap(e) && hasMember(e, '$patch'));
  if (!isMap(element) || Object.keys(element).length > 1) return 'merge';
  const value = scalarText(element.$patch);
  if (value !== 'delete' && value !== 'replace' && value !== 'merge') throw new BuildError(`unknown patch strategy '${value}'`, memberOrigin(element, '$patch') ?? ctx.origin);
  setElements(patch, patch.filter((e) => !(isMap(e) && scalarText(member(e, '$patch')) === value)));
  return value;
}

function walkSeq(dest: Value | undefined, patch: Value | undefined, schema: SchemaAt | undefined, ctx: MergeContext): Walked {
  const associative = !!schema?.strategy?.split(',').includes('merge');
  if (!associative) return patch !== undefined ? nullToClear(patch) : dest;
  let target: Value | undefined;
  if (missingOrNull(dest)) target = patch;
  else if (patch === null) return CLEAR;
  else if (isSeq(patch)) {
    const directive = listDirective(patch, ctx);
    if (directive === 'delete') return CLEAR;
    target = directive === 'replace' ? patch : dest;
  } else target = dest;
  if (!isSeq(target)) return target === null ? CLEAR : target;
  const keys = schema?.keys ?? [];
  const patchList = isSeq(patch) ? patch : undefined;
  if (keys.length > 0) return mergeByKeys(target, patchList, keys, schema, ctx);
  return mergePrimitives(target, patchList);
}

/** The values of `keys` in each element of the sources (patch first), distinct. */
function elementValues(sources: readonly Value[][], keys: readonly string[]): string[][] {
  const result: string[][] = [];
  for (const source of sources) {
    for (const element of source) {
      const values = keys.map((key) => {
        const field = member(element, key);
        return isNilOrEmpty(field) ? '' : scalarText(field);
      });
      if (!result.some((seen) => seen.length === values.length && seen.every((v, i) => v === values[i]))) result.push(values);
    }
  }
  return result;
}

function isNilOrEmpty(value: Value | undefined): boolean {
  return value === undefined || value === null || (isMap(value) && Object.keys(value).length === 0) || (isSeq(value) && value.length === 0) || value === '';
}

/** Entries with several keys that agree where both are set describe the same element: unify them. */
function unify(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    for (let j = 0; j < valuesList.length; j++) {
      const a = valuesList[i]!;
      const b = valuesList[j]!;
      if (a.length !== b.length) continue;
      let common = false;
      const merged: string[] = [];
      let conflict = false;
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) {
          common = true;
          merged.push(a[k]!);
        } else if (a[k] !== '' && b[k] !== '') {
          conflict = true;
          break;
        } else merged.push(a[k] !== '' ? a[k]! : b[k]!);
      }
      if (!conflict && common) {
        valuesList[i] = merged;
        valuesList[j] = [...merged];
      }
    }
  }
}

/** The keys set in any entry (all keys when none is), and this entry's values for them. */
function validKeys(valuesList: readonly string[][], values: readonly string[], keys: readonly string[]): { keys: string[]; values: string[] } {
  const set = new Set<string>();
  for (const entry of valuesList) entry.forEach((v, i) => v !== '' && set.add(keys[i]!));
  if (set.size === 0) return { keys: [...keys], values: [...values] };
  return { keys: keys.filter((k) => set.has(k)), values: values.filter((v, i) => v !== '' || set.has(keys[i]!)) };
}

/** The first map element whose fields equal the values (kyaml's MatchElementList). */
function findElement(list: readonly Value[], keys: readonly string[], values: readonly string[]): ValueMap | undefined {
  return list.find((e): e is ValueMap => isMap(e) && keys.every((k, i) => hasMember(e, k) && !missingOrNull(e[k]) && scalarText(e[k]) === values[i])) as
    | ValueMap
    | undefined;
}

/**
 * kyaml's ElementSetter on a list: drops null and empty-map elements, then replaces every element whose
 * fields match (a key given "" matches any value) by `element`, or removes them when `element` is
 * undefined; appends `element` when none matched.
 */
function setElement(list: Value[], keys: readonly string[], values: readonly string[], element: Value | undefined): void {
  const mappingSetter = keys.length > 0 && keys[0] !== '' && values.length > 0 && values[0] !== '';
  const kept: Value[] = [];
  let matched = false;
  for (const e of list) {
    if (e === null || (isMap(e) && Object.keys(e).length === 0)) continue;
    if (!isMap(e) && mappingSetter) {
      kept.push(e);
      continue;
    }
    const found = keys.every((k, i) => {
      if (i >= values.length) return true;
      if (k === '') return !isMap(e) && !isSeq(e) && scalarText(e) === values[i];
      if (!isMap(e) || !hasMember(e, k)) return false;
      return values[i] === '' || scalarText(e[k]) === values[i];
    });
    if (!found) {
      if (values.length > 0) kept.push(e);
      continue;
    }
    matched = true;
    if (element !== undefined) kept.push(element);
  }
  if (element !== undefined && element !== null && !matched) kept.push(element);
  setElements(list, kept);
}

/** Replaces a list's elements in place (origins of scalar elements are not kept across this). */
function setElements(list: Value[], elements: Value[]): void {
  list.splice(0, list.length, ...elements);
}

function mergeByKeys(target: Value[], patch: Value[] | undefined, keys: readonly string[], schema: SchemaAt | undefined, ctx: MergeContext): Walked {
  const valuesList = elementValues(patch ? [patch, target] : [target], keys);
  if (keys.length > 1) unify(valuesList);
  const elementSchema: SchemaAt | undefined = schema?.def ? { def: schema.def } : undefined;
  const added: Value[] = [];
  let lastKeys: string[] = [...keys];
  for (const values of valuesList) {
    if (values.length === 0) continue;
    const valid = validKeys(valuesList, values, keys);
    lastKeys = valid.keys;
    const own = validKeys([valid.values], valid.values, valid.keys);
    const destElement = findElement(target, own.keys, own.values);
    const patchElement = patch ? findElement(patch, own.keys, own.values) : undefined;
    const merged = walk(destElement, patchElement, elementSchema, ctx, { empty: false });
    if (merged === CLEAR || merged === null || (isMap(merged) && Object.keys(merged).length === 0)) {
      setElement(target, valid.keys, valid.values, undefined);
      continue;
    }
    if (isMap(merged)) valid.keys.forEach((key, i) => !hasMember(merged, key) && valid.values[i] !== '' && setMember(merged, key, valid.values[i]!));
    setElement(added, valid.keys, valid.values, merged);
  }
  if (valuesList.length > 0) {
    // kustomize prepends: the patch's elements (merged) first, then the destination's others.
    appendList(added, target, lastKeys);
    setElements(target, added);
  }
  return target;
}

/** kyaml's appendListNode: adds each element of `src` to `dst`, replacing the one with the same keys. */
function appendList(dst: Value[], src: readonly Value[], keys: readonly string[]): void {
  for (const element of [...src]) {
    if (keys[0] === '') {
      setElement(dst, [''], [scalarText(element)], element);
      continue;
    }
    const values: string[] = [];
    for (const key of keys) {
      const field = member(element, key);
      if (field === undefined) {
        dst.push(element);
        continue;
      }
      values.push(scalarText(field));
    }
    if (keys.length > 1) setElement(dst, keys, values, undefined);
    setElement(dst, keys, values, element);
  }
}

function mergePrimitives(target: Value[], patch: Value[] | undefined): Walked {
  const values: string[] = [];
  for (const source of patch ? [patch, target] : [target]) for (const item of source) if (!values.includes(scalarText(item))) values.push(scalarText(item));
  const added: Value[] = [];
  for (const value of values) {
    const destElement = target.find((e) => !isMap(e) && !isSeq(e) && scalarText(e) === value);
    const patchElement = patch?.find((e) => !isMap(e) && !isSeq(e) && scalarText(e) === value);
    const merged = patchElement !== undefined ? patchElement : destElement;
    if (merged === undefined || merged === null) {
      setElement(target, [''], [value], undefined);
      continue;
    }
    setElement(added, [''], [value], merged);
  }
  if (values.length > 0) {
    appendList(added, target, ['']);
    setElements(target, added);
  }
  return target;
}
