/**
 * The values a kustomize build works on: plain JSON (what kustomize finally prints, since it writes every
 * object through JSON), each container carrying where its text came from. An origin is a file and the
 * offsets of a YAML node in it; a container holds its own origin and those of its scalar members, so a
 * finding on any built value can be put on the line that produced it, or on the patch that set it.
 */

export type Scalar = string | number | boolean | null;
export type Value = Scalar | Value[] | ValueMap;
export interface ValueMap {
  [key: string]: Value;
}

/** Where a value's text is: an absolute file path and the [start, end) offsets of its YAML node. */
export interface Origin {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

const OWN_ORIGIN = Symbol('origin');
const MEMBER_ORIGINS = Symbol('memberOrigins');

/** Containers carry their origins under symbols: never enumerated, never printed, never compared. */
interface Traced {
  [OWN_ORIGIN]?: Origin;
  /** Maps: by key; sequences: by index. Containers among the members use their own origin instead. */
  [MEMBER_ORIGINS]?: Record<string, Origin> | (Origin | undefined)[];
}

export const isMap = (v: Value | undefined): v is ValueMap => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isSeq = (v: Value | undefined): v is Value[] => Array.isArray(v);
export const isContainer = (v: Value | undefined): v is ValueMap | Value[] => typeof v === 'object' && v !== null;

export function originOf(value: Value | undefined): Origin | undefined {
  return isContainer(value) ? (value as Traced)[OWN_ORIGIN] : undefined;
}

function setOrigin(value: Value, origin: Origin | undefined): void {
  if (isContainer(value) && origin) (value as Traced)[OWN_ORIGIN] = origin;
}

/** The origin of member `key` of a container: its own when it is a container, else the one recorded for it. */
export function memberOrigin(container: ValueMap | Value[], key: string | number): Origin | undefined {
  const member = (container as Record<string | number, Value>)[key];
  if (isContainer(member)) return originOf(member) ?? recorded(container, key);
  return recorded(container, key);
}

function recorded(container: ValueMap | Value[], key: string | number): Origin | undefined {
  const table = (container as Traced)[MEMBER_ORIGINS];
  if (!table) return undefined;
  return Array.isArray(table) ? table[key as number] : table[key as string];
}

function tableOf(container: ValueMap | Value[]): Record<string, Origin> | (Origin | undefined)[] {
  const traced = container as Traced;
  return (traced[MEMBER_ORIGINS] ??= Array.isArray(container) ? [] : Object.create(null));
}

function record(container: ValueMap | Value[], key: string | number, origin: Origin | undefined): void {
  if (!origin && !(container as Traced)[MEMBER_ORIGINS]) return;
  const table = tableOf(container);
  if (Array.isArray(table)) table[key as number] = origin;
  else if (origin) table[key as string] = origin;
  else delete table[key as string];
}

/** Sets `map[key]`, recording the origin of the value's text (a `__proto__` key stays an ordinary key). */
export function setMember(map: ValueMap, key: string, value: Value, origin?: Origin): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
  else map[key] = value;
  record(map, key, origin);
}

export function deleteMember(map: ValueMap, key: string): void {
  delete map[key];
  record(map, key, undefined);
}

export function hasMember(map: ValueMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

/** Sequence edits that keep the members' origins in step with their indexes. */
export function seqInsert(seq: Value[], index: number, value: Value, origin?: Origin): void {
  seq.splice(index, 0, value);
  const table = (seq as Traced)[MEMBER_ORIGINS] as (Origin | undefined)[] | undefined;
  if (table) table.splice(index, 0, origin);
  else if (origin) (tableOf(seq) as (Origin | undefined)[])[index] = origin;
}

export function seqSet(seq: Value[], index: number, value: Value, origin?: Origin): void {
  seq[index] = value;
  record(seq, index, origin);
}

export function seqRemove(seq: Value[], index: number): void {
  seq.splice(index, 1);
  const table = (seq as Traced)[MEMBER_ORIGINS] as (Origin | undefined)[] | undefined;
  if (table) table.splice(index, 1);
}

export function seqPush(seq: Value[], value: Value, origin?: Origin): void {
  seqInsert(seq, seq.length, value, origin);
}

/** A new empty map or sequence with an origin. */
export function newMap(origin?: Origin): ValueMap {
  const map: ValueMap = {};
  setOrigin(map, origin);
  return map;
}

export function newSeq(origin?: Origin): Value[] {
  const seq: Value[] = [];
  setOrigin(seq, origin);
  return seq;
}

/** A deep copy that keeps every origin. */
export function cloneValue<T extends Value>(value: T): T {
  if (!isContainer(value)) return value;
  const traced = value as Traced;
  let copy: ValueMap | Value[];
  if (Array.isArray(value)) copy = value.map((v) => cloneValue(v));
  else {
    copy = {};
    for (const key of Object.keys(value)) setMember(copy, key, cloneValue(value[key]!));
  }
  const copyTraced = copy as Traced;
  if (traced[OWN_ORIGIN]) copyTraced[OWN_ORIGIN] = traced[OWN_ORIGIN];
  const table = traced[MEMBER_ORIGINS];
  if (table) copyTraced[MEMBER_ORIGINS] = Array.isArray(table) ? [...table] : Object.assign(Object.create(null), table);
  return copy as T;
}

/** Deep equality of values (key order ignored, sequence order not); origins are not compared. */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (!isContainer(a) || !isContainer(b) || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as Value[];
    return a.length === other.length && a.every((v, i) => valuesEqual(v, other[i]));
  }
  const other = b as ValueMap;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(other).length) return false;
  return keys.every((k) => hasMember(other, k) && valuesEqual(a[k], other[k]));
}

/**
 * The most precise origin known for the value at `path` below `root`: the deepest container or member on
 * the way that has one. Undefined only when even `root` has none.
 */
export function originAt(root: Value, path: readonly (string | number)[]): Origin | undefined {
  let best = originOf(root);
  let node: Value | undefined = root;
  for (const segment of path) {
    if (!isContainer(node)) break;
    const here = memberOrigin(node, segment);
    if (here) best = here;
    node = (node as Record<string | number, Value>)[segment];
    if (node === undefined) break;
  }
  return best;
}

/** The text form kustomize compares and prints for a scalar (labels, names, merge keys). */
export function scalarText(value: Value | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** `map[key]` when map is a map. */
export function member(map: Value | undefined, key: string): Value | undefined {
  return isMap(map) && hasMember(map, key) ? map[key] : undefined;
}
