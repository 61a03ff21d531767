/**
 * sops' JSON store: objects keep their key order (and duplicates), every number is a Go float64
 * (so `8080` is encrypted as `type:float`), and the file is written as Go's json.Indent does
 * (a tab by default) with the metadata last under "sops".
 */
import { Composer, Parser, isMap, isScalar, isSeq, type Node } from 'yaml';
import { Opener, type Sealer } from '../crypt';
import { recoverDataKey } from '../datakey';
import { SopsError } from '../errors';
import type { Identities } from '../keys';
import { decryptedFile, startEncryption, startReencryption, type KeyState } from '../lifecycle';
import { metadataObject, readMetadataObject, type SopsMetadata } from '../metadata';
import { formatFloat, type TypedScalar } from '../scalars';
import type { Clock, DecryptedFile, EncryptOptions, SopsStore } from '../sopsfile';

export type JsonValue =
  | { readonly kind: 'object'; readonly entries: readonly (readonly [string, JsonValue])[] }
  | { readonly kind: 'array'; readonly items: readonly JsonValue[] }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null };

/** Parses JSON keeping key order and duplicate keys (as Go's token decoder does). */
export function parseJson(text: string): JsonValue {
  const docs = [...new Composer({ schema: 'json', uniqueKeys: false, prettyErrors: false }).compose(new Parser().parse(text))];
  const doc = docs[0];
  const error = docs.flatMap((d) => d.errors)[0];
  // The error's code only: its message may quote the text.
  if (error) throw new SopsError('format', `Error unmarshalling input json: ${error.code.toLowerCase().replaceAll('_', ' ')}`);
  if (!doc || docs.length > 1 || !isMap(doc.contents)) throw new SopsError('format', 'Error unmarshalling input json: expected one JSON object');
  return fromNode(doc.contents);
}

function fromNode(node: unknown): JsonValue {
  if (isMap(node)) {
    return { kind: 'object', entries: node.items.map((p) => [String(isScalar(p.key) ? p.key.value : ''), fromNode(p.value)] as const) };
  }
  if (isSeq(node)) return { kind: 'array', items: node.items.map(fromNode) };
  const value = isScalar(node) ? node.value : null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) return { kind: 'scalar', value };
  throw new SopsError('format', `Error unmarshalling input json: unexpected ${typeof (node as Node | null)}`);
}

/** A plain JS value (the metadata object) as a JsonValue. */
export function toJsonValue(value: unknown): JsonValue {
  if (Array.isArray(value)) return { kind: 'array', items: value.map(toJsonValue) };
  if (value && typeof value === 'object') return { kind: 'object', entries: Object.entries(value).map(([k, v]) => [k, toJsonValue(v)] as const) };
  return { kind: 'scalar', value: value as string | number | boolean | null };
}

function plainOf(value: JsonValue): unknown {
  if (value.kind === 'array') return value.items.map(plainOf);
  if (value.kind === 'object') return Object.fromEntries(value.entries.map(([k, v]) => [k, plainOf(v)]));
  return value.value;
}

/** A string as Go's encoding/json writes it (it also escapes <, > and & for HTML). */
function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's json.Indent output, with a final newline. */
export function emitJson(value: JsonValue, indent = '\t'): string {
  const write = (v: JsonValue, depth: number): string => {
    const pad = indent.repeat(depth + 1);
    const end = `\n${indent.repeat(depth)}`;
    if (v.kind === 'object') {
      if (v.entries.length === 0) return '{}';
      return `{\n${v.entries.map(([k, x]) => `${pad}${goString(k)}: ${write(x, depth + 1)}`).join(',\n')}${end}}`;
    }
    if (v.kind === 'array') {
      if (v.items.length === 0) return '[]';
      return `[\n${v.items.map((x) => pad + write(x, depth + 1)).join(',\n')}${end}]`;
    }
    if (typeof v.value === 'string') return goString(v.value);
    if (typeof v.value === 'number' && !Number.isFinite(v.value)) throw new SopsError('value', 'json: unsupported value: a non-finite number');
    return JSON.stringify(v.value);
  };
  return `${write(value, 0)}\n`;
}

function typedOf(value: string | number | boolean | null): TypedScalar | null {
  if (value === null) return null;
  if (typeof value === 'string') return { type: 'str', text: value };
  if (typeof value === 'boolean') return { type: 'bool', text: value ? 'True' : 'False' };
  return { type: 'float', text: formatFloat(value) };
}

function scalarOf(typed: TypedScalar): JsonValue {
  if (typed.type === 'bool') return { kind: 'scalar', value: typed.text === 'True' };
  if (typed.type === 'int' || typed.type === 'float') return { kind: 'scalar', value: Number(typed.text.replace('Inf', 'Infinity')) };
  return { kind: 'scalar', value: typed.text };
}

type Visit = (path: readonly string[], stack: readonly (readonly string[])[], value: JsonValue & { kind: 'scalar' }) => JsonValue;

/** sops' walk over a JSON tree (no comments: every stack level stays empty). */
function mapLeaves(value: JsonValue, visit: Visit, path: readonly string[] = [], stack: readonly (readonly string[])[] = []): JsonValue {
  const inner = [...stack, []];
  if (value.kind === 'object') return { kind: 'object', entries: value.entries.map(([k, v]) => [k, mapLeaves(v, visit, [...path, k], inner)] as const) };
  if (value.kind === 'array') return { kind: 'array', items: value.items.map((v) => mapLeaves(v, visit, path, inner)) };
  return visit(path, stack, value);
}

function sealTree(tree: JsonValue & { kind: 'object' }, sealer: Sealer): JsonValue & { kind: 'object' } {
  if (tree.entries.some(([k]) => k === 'sops')) throw new SopsError('already-encrypted', 'File already encrypted');
  return mapLeaves(tree, (path, stack, leaf) => {
    // sops 3.13 stores integer literals as int, 3.10 as float: an unchanged value keeps its type.
    const asInt: TypedScalar | undefined = typeof leaf.value === 'number' && Number.isSafeInteger(leaf.value) ? { type: 'int', text: String(leaf.value + 0) } : undefined;
    const enc = sealer.value(path, stack, asInt && sealer.stashed(path, asInt) ? asInt : typedOf(leaf.value));
    return enc === undefined ? leaf : { kind: 'scalar', value: enc };
  }) as JsonValue & { kind: 'object' };
}

function withMetadata(tree: JsonValue & { kind: 'object' }, sops: JsonValue): JsonValue {
  return { kind: 'object', entries: [...tree.entries, ['sops', sops]] };
}

export async function encryptJson(source: string, options: EncryptOptions, clock: Clock): Promise<string> {
  const tree = parseJson(source) as JsonValue & { kind: 'object' };
  const { sealer, finish } = await startEncryption(options, clock);
  const sealed = sealTree(tree, sealer);
  return emitJson(withMetadata(sealed, toJsonValue(metadataObject(finish()))));
}

interface JsonState extends KeyState {
  /** The stored `sops` value and the file's indentation, written back as they were. */
  readonly sops: JsonValue & { kind: 'object' };
  readonly indent: string;
}

/** The file's tree, its `sops` object and the metadata it holds. */
function splitJson(source: string): { file: JsonValue & { kind: 'object' }; sops: JsonValue & { kind: 'object' }; metadata: SopsMetadata } {
  const file = parseJson(source) as JsonValue & { kind: 'object' };
  const sops = file.entries.find(([k]) => k === 'sops')?.[1];
  if (!sops || sops.kind !== 'object') throw new SopsError('metadata-not-found', 'sops metadata not found');
  return { file, sops, metadata: readMetadataObject(plainOf(sops) as Record<string, unknown>) };
}

/** The metadata of a SOPS JSON (or binary) file, read without decrypting. */
export function jsonMetadata(source: string): SopsMetadata {
  return splitJson(source).metadata;
}

export async function decryptJson(source: string, identities: Identities): Promise<DecryptedFile> {
  const { file, sops, metadata } = splitJson(source);
  const dataKey = await recoverDataKey(metadata, identities);
  const opener = new Opener(dataKey, metadata);
  const data: JsonValue & { kind: 'object' } = { kind: 'object', entries: file.entries.filter(([k]) => k !== 'sops') };
  const plain = mapLeaves(data, (path, stack, leaf) => {
    const opened = opener.value(path, stack, typedOf(leaf.value), typeof leaf.value === 'string' ? leaf.value : '');
    return opened.kind === 'value' ? scalarOf(opened.typed) : leaf;
  });
  opener.verifyMac();
  const state: JsonState = { metadata, dataKey, ivs: opener.ivs, sops, indent: /^\{\r?\n([ \t]+)/.exec(source)?.[1] ?? '\t' };
  return decryptedFile('json', Buffer.from(emitJson(plain), 'utf8'), metadata, (edited, clock) =>
    reencryptJson(state, Buffer.from(edited).toString('utf8'), clock),
  );
}

/** Same key and IVs; of the metadata only lastmodified and mac change. */
function reencryptJson(state: JsonState, edited: string, clock: Clock): string {
  const { sealer, finish } = startReencryption(state, clock);
  const sealed = sealTree(parseJson(edited) as JsonValue & { kind: 'object' }, sealer);
  const { lastModified, mac } = finish();
  const sops: JsonValue = {
    kind: 'object',
    entries: state.sops.entries.map(([k, v]) => {
      if (k === 'lastmodified') return [k, { kind: 'scalar', value: lastModified }] as const;
      return k === 'mac' ? ([k, { kind: 'scalar', value: mac }] as const) : ([k, v] as const);
    }),
  };
  return emitJson(withMetadata(sealed, sops), state.indent);
}

/** sops' JSON store (.json). */
export const jsonStore: SopsStore = {
  format: 'json',
  metadata: jsonMetadata,
  encrypt: (plaintext, options, clock) => encryptJson(Buffer.from(plaintext).toString('utf8'), options, clock),
  decrypt: decryptJson,
};
