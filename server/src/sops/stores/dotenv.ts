/**
 * sops' dotenv store: `KEY=value` lines (`\n` escapes newlines), `#` comments, and the metadata
 * flattened into sorted `sops_…` lines (`sops_age__list_0__map_enc=…`). Every value is a string.
 */
import { Opener, type Sealer } from '../crypt';
import { recoverDataKey } from '../datakey';
import { SopsError } from '../errors';
import type { Identities } from '../keys';
import { decryptedFile, startEncryption, startReencryption, type KeyState } from '../lifecycle';
import { metadataObject, readMetadataObject, type SopsMetadata } from '../metadata';
import type { Clock, DecryptedFile, EncryptOptions, SopsStore } from '../sopsfile';

const PREFIX = 'sops_';

type Line = { readonly kind: 'comment'; readonly text: string } | { readonly kind: 'value'; readonly key: string; readonly value: string };

function parseDotenv(text: string): Line[] {
  const lines: Line[] = [];
  for (const [n, line] of text.split('\n').entries()) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      lines.push({ kind: 'comment', text: line.slice(1) });
      continue;
    }
    const eq = line.indexOf('=');
    // The line itself is not quoted: it may hold a secret.
    if (eq < 0) throw new SopsError('format', `invalid dotenv input line ${n + 1}: no '='`);
    lines.push({ kind: 'value', key: line.slice(0, eq), value: line.slice(eq + 1).replaceAll('\\n', '\n') });
  }
  return lines;
}

function emitDotenv(lines: readonly Line[]): string {
  return lines.map((l) => (l.kind === 'comment' ? `#${l.text}\n` : `${l.key}=${l.value.replaceAll('\n', '\\n')}\n`)).join('');
}

type Tree = Record<string, unknown> | unknown[];

/** `age__list_0__map_enc` style keys back into nested objects and lists. */
function unflatten(flat: ReadonlyMap<string, string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [path, value] of flat) {
    const parts = path.split(/(__map_|__list_)/);
    let node: Tree = root;
    let key: string | number = parts[0] as string;
    for (let i = 1; i < parts.length; i += 2) {
      const list = parts[i] === '__list_';
      const slot = node as Record<string | number, unknown>;
      if (!Object.hasOwn(slot, key)) setOwn(slot, key, list ? [] : {});
      node = slot[key] as Tree;
      key = list ? Number(parts[i + 1]) : (parts[i + 1] as string);
    }
    setOwn(node as Record<string | number, unknown>, key, value);
  }
  return root;
}

/** Keys come from the file: `__proto__` or `constructor` must become plain keys, never reach a prototype. */
function setOwn(slot: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(slot, key, { value, writable: true, enumerable: true, configurable: true });
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (Array.isArray(value)) value.forEach((v, i) => flatten(v, `${prefix}__list_${i}`, out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) flatten(v, `${prefix}__map_${k}`, out);
  else if (value !== null && value !== undefined) out.set(prefix, String(value));
}

/** The metadata lines, sorted by key as sops writes them. */
function metadataLines(metadata: Record<string, unknown>): Line[] {
  const flat = new Map<string, string>();
  for (const [k, v] of Object.entries(metadata)) flatten(v, k, flat);
  return [...flat.keys()].sort().map((key) => ({ kind: 'value', key: PREFIX + key, value: flat.get(key) as string }));
}

/** Encrypts data lines in sops' walk order (one flat branch: comments before a value count for it). */
function sealLines(lines: readonly Line[], sealer: Sealer): Line[] {
  let comments: string[] = [];
  return lines.map((line) => {
    if (line.kind === 'comment') {
      comments = [...comments, line.text];
      const enc = sealer.comment([], [comments], line.text);
      return enc === undefined ? line : { kind: 'comment', text: enc };
    }
    if (line.key.startsWith(PREFIX)) throw new SopsError('already-encrypted', 'File already encrypted');
    const enc = sealer.value([line.key], [comments], { type: 'str', text: line.value });
    comments = [];
    return enc === undefined ? line : { ...line, value: enc };
  });
}

export async function encryptDotenv(source: string, options: EncryptOptions, clock: Clock): Promise<string> {
  const { sealer, finish } = await startEncryption(options, clock);
  const data = sealLines(parseDotenv(source), sealer);
  return emitDotenv([...data, ...metadataLines(metadataObject(finish()))]);
}

interface DotenvState extends KeyState {
  readonly metadataLines: readonly Line[];
}

/** The lines, the `sops_…` ones, and the metadata they hold. */
function splitDotenv(source: string): { lines: Line[]; meta: Line[]; metadata: SopsMetadata } {
  const lines = parseDotenv(source);
  const meta = lines.filter((l): l is Extract<Line, { kind: 'value' }> => l.kind === 'value' && l.key.startsWith(PREFIX));
  if (meta.length === 0) throw new SopsError('metadata-not-found', 'sops metadata not found');
  return { lines, meta, metadata: readMetadataObject(unflatten(new Map(meta.map((l) => [l.key.slice(PREFIX.length), l.value])))) };
}

/** The metadata of a SOPS dotenv file, read without decrypting. */
export function dotenvMetadata(source: string): SopsMetadata {
  return splitDotenv(source).metadata;
}

export async function decryptDotenv(source: string, identities: Identities): Promise<DecryptedFile> {
  const { lines, meta, metadata } = splitDotenv(source);
  const dataKey = await recoverDataKey(metadata, identities);
  const opener = new Opener(dataKey, metadata);
  let comments: string[] = [];
  const plain: Line[] = [];
  for (const line of lines) {
    if (line.kind === 'comment') {
      comments = [...comments, line.text];
      plain.push({ kind: 'comment', text: opener.comment([[]], [comments], line.text) ?? line.text });
    } else if (!line.key.startsWith(PREFIX)) {
      const opened = opener.value([line.key], [comments], { type: 'str', text: line.value }, line.value);
      comments = [];
      plain.push(opened.kind === 'value' ? { ...line, value: opened.typed.text } : line);
    }
  }
  opener.verifyMac();
  const state: DotenvState = { metadata, dataKey, ivs: opener.ivs, metadataLines: meta };
  return decryptedFile('dotenv', Buffer.from(emitDotenv(plain), 'utf8'), metadata, (edited, clock) =>
    reencryptDotenv(state, Buffer.from(edited).toString('utf8'), clock),
  );
}

/** Same key and IVs; of the metadata lines only `sops_lastmodified` and `sops_mac` change. */
function reencryptDotenv(state: DotenvState, edited: string, clock: Clock): string {
  const { sealer, finish } = startReencryption(state, clock);
  const data = sealLines(parseDotenv(edited), sealer);
  const { lastModified, mac } = finish();
  const metadata = state.metadataLines.map((l): Line => {
    if (l.kind !== 'value') return l;
    if (l.key === `${PREFIX}lastmodified`) return { ...l, value: lastModified };
    return l.key === `${PREFIX}mac` ? { ...l, value: mac } : l;
  });
  return emitDotenv([...data, ...metadata]);
}

/** sops' dotenv store (.env). */
export const dotenvStore: SopsStore = {
  format: 'dotenv',
  metadata: dotenvMetadata,
  encrypt: (plaintext, options, clock) => encryptDotenv(Buffer.from(plaintext).toString('utf8'), options, clock),
  decrypt: decryptDotenv,
};
