/**
 * JSON 6902 patches as kustomize applies them (evanphx/json-patch v4): add, remove, replace, move, copy,
 * test, in order, on the object's JSON form. v4's own rules hold: `replace` of a missing map key adds it,
 * negative array indexes count from the end, `-` appends. Values added keep the patch's origins.
 */
import { BuildError } from './problems';
import { cloneValue, deleteMember, hasMember, isMap, isSeq, member, memberOrigin, originOf, scalarText, seqInsert, seqRemove, seqSet, setMember, valuesEqual, type Origin, type Value, type ValueMap } from './values';

export interface JsonPatchOperation {
  readonly op: string;
  readonly path: string | undefined;
  readonly from: string | undefined;
  readonly value: Value | undefined;
  /** Where the operation's value is written (for a scalar value, which carries no origin of its own). */
  readonly valueOrigin: Origin | undefined;
  readonly origin: Origin;
}

/** The operations of a decoded patch; anything but a list of objects is kustomize's decode error. */
export function decodeJsonPatch(value: Value, origin: Origin): JsonPatchOperation[] {
  if (!isSeq(value)) throw new BuildError(`json: cannot unmarshal ${isMap(value) ? 'object' : typeof value} into Go value of type jsonpatch.Patch`, origin);
  return value.map((op) => {
    if (!isMap(op)) throw new BuildError(`json: cannot unmarshal ${Array.isArray(op) ? 'array' : typeof op} into Go value of type jsonpatch.Operation`, origin);
    const text = (key: string): string | undefined => (typeof op[key] === 'string' ? (op[key] as string) : undefined);
    return {
      op: scalarText(member(op, 'op')),
      path: text('path'),
      from: text('from'),
      value: member(op, 'value'),
      valueOrigin: memberOrigin(op, 'value'),
      origin: originOf(op) ?? origin,
    };
  });
}

type Container = ValueMap | Value[];

/** Applies the operations to `doc` in place. */
export function applyJsonPatch(doc: ValueMap, operations: readonly JsonPatchOperation[]): void {
  for (const operation of operations) applyOne(doc, operation);
}

function applyOne(doc: ValueMap, operation: JsonPatchOperation): void {
  const fail = (message: string): never => {
    throw new BuildError(message, operation.origin);
  };
  const path = operation.path;
  switch (operation.op) {
    case 'add': {
      if (path === undefined) fail('add operation failed to decode path: missing value');
      const { container, key } = find(doc, path!) ?? fail(`add operation does not apply: doc is missing path: "${path}": missing value`);
      add(container, key, copyOf(operation), operation.valueOrigin, `error in add for path: '${path}'`, fail);
      return;
    }
    case 'remove': {
      if (path === undefined) fail('remove operation failed to decode path: missing value');
      const { container, key } = find(doc, path!) ?? fail(`remove operation does not apply: doc is missing path: "${path}": missing value`);
      remove(container, key, `error in remove for path: '${path}'`, fail);
      return;
    }
    case 'replace': {
      if (path === undefined) fail('replace operation failed to decode path: missing value');
      if (path === '') {
        const value = copyOf(operation);
        if (!isMap(value)) fail('replace operation value must be object or array');
        for (const key of Object.keys(doc)) deleteMember(doc, key);
        for (const key of Object.keys(value as ValueMap)) setMember(doc, key, (value as ValueMap)[key]!, memberOrigin(value as ValueMap, key));
        return;
      }
      const { container, key } = find(doc, path!) ?? fail(`replace operation does not apply: doc is missing path: ${path}: missing value`);
      if (isSeq(container)) {
        const index = arrayIndex(container, key, false) ?? fail(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        seqSet(container, index, copyOf(operation), operation.valueOrigin);
      } else setMember(container, key, copyOf(operation), operation.valueOrigin);
      return;
    }
    case 'move':
    case 'copy': {
      const from = operation.from;
      if (from === undefined) fail(`${operation.op} operation failed to decode from: missing value`);
      const source = find(doc, from!) ?? fail(`${operation.op} operation does not apply: doc is missing from path: ${from}: missing value`);
      const value = get(source.container, source.key) ?? fail(`error in ${operation.op} for path: '${source.key}': Unable to access invalid index`);
      const origin = memberOrigin(source.container, isSeq(source.container) ? Number(source.key) : source.key);
      if (operation.op === 'move') remove(source.container, source.key, `error in move for path: '${source.key}'`, fail);
      if (path === undefined) fail(`${operation.op} operation failed to decode path: missing value`);
      const target = find(doc, path!) ?? fail(`${operation.op} operation does not apply: doc is missing destination path: ${path}: missing value`);
      add(target.container, target.key, operation.op === 'copy' ? cloneValue(value) : value, origin, `error in ${operation.op} for path: '${path}'`, fail);
      return;
    }
    case 'test': {
      if (path === undefined) fail('test operation failed to decode path: missing value');
      if (path === '') {
        if (!valuesEqual(doc, operation.value ?? null)) fail(`testing value ${path} failed: test failed`);
        return;
      }
      const { container, key } = find(doc, path!) ?? fail(`test operation does not apply: is missing path: ${path}: missing value`);
      const actual = get(container, key);
      if (actual === undefined && isSeq(container)) fail(`error in test for path: '${path}': Unable to access invalid index: ${key}: invalid index referenced`);
      const expected = operation.value ?? null;
      if (actual === undefined ? expected !== null : !valuesEqual(actual, expected)) fail(`testing value ${path} failed: test failed`);
      return;
    }
    default:
      fail(`Unexpected kind: ${operation.op}`);
  }
}

function copyOf(operation: JsonPatchOperation): Value {
  return operation.value === undefined ? null : cloneValue(operation.value);
}

/** RFC 6901 pointer token decoding. */
const decodeKey = (key: string): string => key.replaceAll('~1', '/').replaceAll('~0', '~');

/** The container of the last pointer token, and that token; undefined when a part on the way is missing. */
function find(doc: ValueMap, path: string): { container: Container; key: string } | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let node: Container = doc;
  for (const part of split.slice(1, -1)) {
    const next = get(node, decodeKey(part));
    if (next === undefined || next === null || (!isMap(next) && !isSeq(next))) return undefined;
    node = next;
  }
  return { container: node, key: decodeKey(split[split.length - 1]!) };
}

/** An array index as v4 reads it (negative counts from the end); undefined when out of range or not a number. */
function arrayIndex(array: readonly Value[], key: string, forAdd: boolean): number | undefined {
  if (!/^[+-]?\d+$/.test(key)) return undefined;
  let index = Number(key);
  const size = forAdd ? array.length + 1 : array.length;
  if (index >= size) return undefined;
  if (index < 0) {
    if (index < -size) return undefined;
    index += size;
  }
  return index;
}

function get(container: Container, key: string): Value | undefined {
  if (isSeq(container)) {
    const index = arrayIndex(container, key, false);
    return index === undefined ? undefined : container[index];
  }
  return hasMember(container, key) ? container[key] : undefined;
}

function add(container: Container, key: string, value: Value, origin: Origin | undefined, context: string, fail: (message: string) => never): void {
  if (!isSeq(container)) {
    setMember(container, key, value, origin);
    return;
  }
  if (key === '-') {
    seqInsert(container, container.length, value, origin);
    return;
  }
  if (!/^[+-]?\d+$/.test(key)) fail(`${context}: value was not a proper array index: '${key}': strconv.Atoi: parsing "${key}": invalid syntax`);
  const index = arrayIndex(container, key, true);
  if (index === undefined) fail(`${context}: Unable to access invalid index: ${key}: invalid index referenced`);
  seqInsert(container, index!, value, origin);
}

function remove(container: Container, key: string, context: string, fail: (message: string) => never): void {
  if (!isSeq(container)) {
    if (!hasMember(container, key)) fail(`${context}: Unable to remove nonexistent key: ${key}: missing value`);
    deleteMember(container, key);
    return;
  }
  const index = arrayIndex(container, key, false);
  if (index === undefined) fail(`${context}: Unable to access invalid index: ${key}: invalid index referenced`);
  seqRemove(container, index!);
}
