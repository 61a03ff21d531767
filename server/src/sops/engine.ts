/**
 * Encrypt, decrypt and re-encrypt SOPS YAML in-process, as splices into the original text. The
 * result is returned only once everything succeeded (MAC included): on any error nothing is
 * returned, so callers cannot print or write plaintext by accident.
 */
import { createHash } from 'node:crypto';
import type { Node, Pair } from 'yaml';
import { checkRecipient, unwrap, wrapForRecipient } from './age';
import { decryptValue, encryptValue, isEncryptedValue } from './cipher';
import { parseYaml, type CommentLeaf, type ParsedYaml, type ValueLeaf } from './document';
import { SopsError } from './errors';
import type { Identities } from './keys';
import { locateMetadataValues, readMetadata, writeMetadata, type AgeStanza, type EncryptionRule, type SopsMetadata } from './metadata';
import { encryptionPredicate, goRegex, type ShouldEncrypt } from './rules';
import { typedFromPlaintext } from './scalars';
import { combine, split } from './shamir';
import { valueText } from './yaml-text';

const MAC_ONLY_ENCRYPTED_INIT = createHash('sha256').update('sops').digest();

export interface EncryptOptions {
  /** Age recipients per key group (one group: no Shamir). */
  readonly keyGroups: readonly (readonly string[])[];
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted?: boolean;
  /** Groups needed to recover the key; defaults to all of them. */
  readonly shamirThreshold?: number;
  /** Indentation of the `sops:` block (sops' `stores.yaml.indent`, default 4). */
  readonly indent?: number;
}

export interface Clock {
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

/** What a decryption keeps to re-encrypt an edit with the same key and the same IVs. */
export interface DecryptedFile {
  readonly plaintext: string;
  readonly metadata: SopsMetadata;
  readonly dataKey: Uint8Array;
  /**
   * IVs of every decrypted (path, type, value), in file order: like sops' cipher stash, but a
   * value repeated at the same path keeps each occurrence's own IV.
   */
  readonly ivs: IvStash;
  /** The first document's `sops:` block text and where its lastmodified/mac values sit in it. */
  readonly sopsBlock: { readonly text: string; readonly lastModified: [number, number]; readonly mac: [number, number] };
}

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

export type IvStash = ReadonlyMap<string, readonly Uint8Array[]>;

function stashKey(aad: string, type: string, text: string): string {
  return `${aad}\0${type}\0${text}`;
}

function stashIv(ivs: Map<string, Uint8Array[]>, aad: string, type: string, text: string, iv: Uint8Array): void {
  const key = stashKey(aad, type, text);
  const list = ivs.get(key);
  if (list) list.push(iv);
  else ivs.set(key, [iv]);
}

function aadOf(path: readonly string[]): string {
  return `${path.join(':')}:`;
}

function applyEdits(source: string, edits: Edit[]): string {
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** Go's time.Format(time.RFC3339) of the UTC clock: no fraction, `Z`. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The MAC's additional data: sops re-formats lastmodified as RFC3339 (fraction dropped). */
function lastModifiedAad(text: string): string {
  return text.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '').replace(/[+-]00:00$/, 'Z');
}

export function isSopsEncrypted(source: string): boolean {
  try {
    const first = parseYaml(source).documents[0];
    return first?.sopsPair !== undefined;
  } catch {
    return false;
  }
}

/** Recipients per key group, for display (CodeLens) without decrypting. */
export function readRecipients(source: string): SopsMetadata {
  const first = parseYaml(source).documents[0];
  if (!first?.sopsPair) throw new SopsError('metadata-not-found', 'sops metadata not found');
  return readMetadata(first.sopsPair.value as Node);
}

export async function recoverDataKey(metadata: SopsMetadata, identities: Identities): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  const report: string[] = [];
  for (const [i, group] of metadata.keyGroups.entries()) {
    const failures: string[] = [];
    let part: Uint8Array | undefined;
    for (const stanza of group.age) {
      part = await unwrap(stanza.enc, identities.keys);
      if (part) break;
      failures.push(`  ${stanza.recipient}: FAILED\n    - | no identity matched any of the recipients`);
    }
    for (const other of group.other) failures.push(`  ${other}: FAILED\n    - | only age keys are supported in-process`);
    if (part) parts.push(part);
    report.push(part ? `Group ${i}: SUCCESS` : `Group ${i}: FAILED\n${failures.join('\n')}`);
  }
  const several = metadata.keyGroups.length > 1;
  const needed = several ? metadata.shamirThreshold || metadata.keyGroups.length : 1;
  if (parts.length >= needed && parts.length > 0) {
    const key = several ? combine(parts) : (parts[0] as Uint8Array);
    if (key.length !== 32) throw new SopsError('tampered', `data key has ${key.length} bytes, expected 32`);
    return key;
  }
  const trailer = several
    ? `Recovery failed because the file was encrypted with a Shamir threshold of ${needed}, but only ${parts.length} part(s) were successfully recovered.`
    : 'Recovery failed because no master key was able to decrypt the file. In order for SOPS to recover the file, at least one key has to be successful, but none were.';
  const unsupported = identities.unsupported.length ? `\nNot usable in-process: ${identities.unsupported.join('; ')}.` : '';
  throw new SopsError(
    'no-identity',
    `Failed to get the data key required to decrypt the SOPS file: no identity matched any of the recipients.\n\n${report.join('\n\n')}\n\nAge keys were looked for in: ${identities.searched.join(', ')}.${unsupported}\n\n${trailer}`,
  );
}

/** Decrypts a SOPS YAML file; throws on a wrong key, a tampered value or a MAC mismatch. */
export async function decrypt(source: string, identities: Identities): Promise<DecryptedFile> {
  const parsed = parseYaml(source);
  const first = parsed.documents[0];
  if (!first?.sopsPair) throw new SopsError('metadata-not-found', 'sops metadata not found');
  const metadata = readMetadata(first.sopsPair.value as Node);
  const dataKey = await recoverDataKey(metadata, identities);
  const shouldEncrypt = encryptionPredicate(metadata.rule);
  const hash = createHash('sha512');
  if (metadata.macOnlyEncrypted) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const ivs = new Map<string, Uint8Array[]>();
  const edits: Edit[] = [];
  for (const doc of parsed.documents) {
    for (const leaf of doc.leaves) {
      if (leaf.kind === 'comment') {
        const edit = decryptComment(leaf, dataKey, shouldEncrypt, ivs);
        if (edit) edits.push(edit);
        continue;
      }
      if (leaf.typed === null) continue;
      const encrypted = shouldEncrypt(leaf.path, leaf.commentsStack, false);
      let text = leaf.typed.text;
      if (encrypted && leaf.raw !== '') {
        if (leaf.typed.type !== 'str' || !isEncryptedValue(leaf.raw)) {
          throw new SopsError('format', `Could not decrypt value: the value at ${aadOf(leaf.path)} is not encrypted`);
        }
        const aad = aadOf(leaf.path);
        const plain = decryptValue(dataKey, leaf.raw, aad);
        if (plain.type === 'comment') {
          // sops writes encrypted comments in sequences as items: back to a comment line (not hashed).
          stashIv(ivs, aad, 'comment', plain.plaintext, plain.iv);
          edits.push({ start: sequenceItemStart(parsed.source, leaf), end: leaf.end, text: `#${plain.plaintext}` });
          continue;
        }
        const typed = typedFromPlaintext(plain.type, plain.plaintext);
        stashIv(ivs, aad, typed.type, typed.text, plain.iv);
        edits.push({ start: leaf.start, end: leaf.end, text: valueText(typed, leaf.flow, leaf.parentColumn, lineEnding(parsed.source)) + trailingNewline(parsed.source, leaf) });
        text = typed.text;
      }
      if (!metadata.macOnlyEncrypted || encrypted) hash.update(text, 'utf8');
    }
    if (doc.sopsPair) edits.push(removal(parsed.source, doc.sopsPair));
  }
  const computed = hash.digest('hex').toUpperCase();
  let stored: string;
  try {
    stored = decryptValue(dataKey, metadata.mac, lastModifiedAad(metadata.lastModified)).plaintext;
  } catch {
    throw new SopsError('mac-mismatch', 'Could not decrypt MAC: the MAC or lastmodified was tampered with');
  }
  if (stored !== computed) throw new SopsError('mac-mismatch', `MAC mismatch. File has ${stored}, computed ${computed}`);
  const pairNode = first.sopsPair.value as Node;
  const text = parsed.source;
  const blockStart = lineStartOf(text, (first.sopsPair.key as Node).range?.[0] ?? 0);
  const removed = removal(text, first.sopsPair);
  const located = locateMetadataValues(pairNode);
  const rel = (r: [number, number]): [number, number] => [r[0] - blockStart, r[1] - blockStart];
  return {
    plaintext: applyEdits(text, edits),
    metadata,
    dataKey,
    ivs,
    sopsBlock: { text: text.slice(blockStart, removed.end), lastModified: rel(located.lastModified), mac: rel(located.mac) },
  };
}

function decryptComment(leaf: CommentLeaf, key: Uint8Array, shouldEncrypt: ShouldEncrypt, ivs: Map<string, Uint8Array[]>): Edit | undefined {
  const value = leaf.text;
  if (!shouldEncrypt(leaf.path, leaf.commentsStack, true) || !isEncryptedValue(value)) return undefined;
  // sops attaches comments through yaml.v3's head/line/foot rules; the path we guessed is tried
  // first, then every other container's. A comment that decrypts with none stays as written.
  for (const path of [leaf.path, ...leaf.otherPaths]) {
    try {
      const plain = decryptValue(key, value, aadOf(path));
      if (plain.type !== 'comment') continue;
      stashIv(ivs, aadOf(path), 'comment', plain.plaintext, plain.iv);
      return { start: leaf.start, end: leaf.end, text: `#${plain.plaintext}` };
    } catch {
      // try the next candidate path
    }
  }
  return undefined;
}

/** Where the `- ` of a sequence item holding `leaf` starts (the leaf itself when it is not one). */
function sequenceItemStart(source: string, leaf: ValueLeaf): number {
  const m = /-[ \t]+$/.exec(source.slice(lineStartOf(source, leaf.start), leaf.start));
  if (!m) throw new SopsError('format', `Could not decrypt value: a comment is stored as the value at ${aadOf(leaf.path)}`);
  return leaf.start - m[0].length;
}

/** A block scalar's range ends with its line break, which the replacement must keep. */
function trailingNewline(source: string, leaf: ValueLeaf): string {
  if (leaf.end <= leaf.start || source[leaf.end - 1] !== '\n') return '';
  return source[leaf.end - 2] === '\r' ? '\r\n' : '\n';
}

/** The file's line ending (CRLF files stay CRLF, `sops:` block included). */
function lineEnding(source: string): string {
  const first = source.indexOf('\n');
  return first > 0 && source[first - 1] === '\r' ? '\r\n' : '\n';
}

function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

function removal(source: string, pair: Pair): Edit {
  const start = lineStartOf(source, (pair.key as Node).range?.[0] ?? 0);
  let end = (pair.value as Node | null)?.range?.[2] ?? source.length;
  if (source[end - 1] !== '\n' && source[end] === '\n') end++;
  return { start, end, text: '' };
}

interface Sealed {
  readonly edits: Edit[];
  readonly mac: string;
}

/** Encrypts every leaf the rule selects and computes the MAC; IVs are reused via `ivFor`. */
function seal(parsed: ParsedYaml, key: Uint8Array, rule: EncryptionRule, macOnly: boolean, random: Clock['randomBytes'], ivs?: IvStash): Sealed {
  const shouldEncrypt = encryptionPredicate(rule);
  const commentGuard = rule.kind === 'unencrypted_comment_regex' ? goRegex(rule.value) : undefined;
  if (parsed.documents.every((d) => !d.root)) {
    throw new SopsError('format', 'File cannot be completely empty, it must contain at least one document');
  }
  const hash = createHash('sha512');
  if (macOnly) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  const edits: Edit[] = [];
  // Each stashed IV is used once, in order (a copy: a failed save must not consume the stash).
  const queues = new Map([...(ivs ?? [])].map(([k, list]) => [k, [...list]]));
  const ivFor = (aad: string, type: string, text: string): Uint8Array => queues.get(stashKey(aad, type, text))?.shift() ?? random(32);
  for (const doc of parsed.documents) {
    if (doc.sopsPair) throw new SopsError('already-encrypted', 'File already encrypted');
    for (const leaf of doc.leaves) {
      if (leaf.kind === 'comment') {
        if (leaf.text === '' || !shouldEncrypt(leaf.path, leaf.commentsStack, true)) continue;
        const aad = aadOf(leaf.path);
        const enc = encryptValue(key, leaf.text, 'comment', aad, ivFor(aad, 'comment', leaf.text));
        if (commentGuard?.test(enc)) {
          throw new SopsError('config', 'An encrypted comment matches unencrypted_comment_regex! Make sure that it cannot match an encrypted comment.');
        }
        if (leaf.seqDashColumn === undefined) edits.push({ start: leaf.start, end: leaf.end, text: `#${enc}` });
        else edits.push({ start: leaf.lineStart, end: leaf.end, text: `${' '.repeat(leaf.seqDashColumn)}- ${enc}` });
        continue;
      }
      if (leaf.typed === null) continue;
      const encrypted = shouldEncrypt(leaf.path, leaf.commentsStack, false);
      if (!macOnly || encrypted) hash.update(leaf.typed.text, 'utf8');
      if (!encrypted || leaf.typed.text === '') continue;
      const aad = aadOf(leaf.path);
      const enc = encryptValue(key, leaf.typed.text, leaf.typed.type, aad, ivFor(aad, leaf.typed.type, leaf.typed.text));
      edits.push({ start: leaf.start, end: leaf.end, text: (leaf.flow ? `"${enc}"` : enc) + trailingNewline(parsed.source, leaf) });
    }
  }
  return { edits, mac: hash.digest('hex').toUpperCase() };
}

/** Appends the `sops:` block after each document's content. */
function appendBlocks(parsed: ParsedYaml, edits: Edit[], block: string): void {
  const eol = lineEnding(parsed.source);
  const text = block.replace(/\r?\n/g, eol);
  for (const doc of parsed.documents) {
    const at = doc.contentEnd;
    const needsNewline = at > 0 && parsed.source[at - 1] !== '\n';
    edits.push({ start: at, end: at, text: (needsNewline ? eol : '') + text });
  }
}

/** Encrypts a plaintext YAML file for age recipients (fresh data key and IVs). */
export async function encrypt(source: string, options: EncryptOptions, clock: Clock): Promise<string> {
  const groups = options.keyGroups.filter((g) => g.length > 0);
  if (groups.length === 0) throw new SopsError('config', 'no age recipients given: pass --age or add a creation rule with age keys to .sops.yaml');
  groups.flat().forEach(checkRecipient);
  const threshold = options.shamirThreshold || groups.length;
  if (groups.length > 1 && (threshold < 2 || threshold > groups.length)) {
    throw new SopsError('config', `shamir_threshold ${threshold} must be between 2 and the number of key groups (${groups.length})`);
  }
  const parsed = parseYaml(source);
  const dataKey = clock.randomBytes(32);
  const macOnly = options.macOnlyEncrypted ?? false;
  const { edits, mac } = seal(parsed, dataKey, options.rule, macOnly, clock.randomBytes);
  const lastModified = formatLastModified(clock.now());
  const secrets = groups.length > 1 ? split(dataKey, groups.length, threshold, clock.randomBytes) : [dataKey];
  const keyGroups: { age: AgeStanza[] }[] = [];
  for (const [i, group] of groups.entries()) {
    const age: AgeStanza[] = [];
    for (const recipient of group) age.push({ recipient, enc: await wrapForRecipient(recipient, secrets[i] as Uint8Array) });
    keyGroups.push({ age });
  }
  const block = writeMetadata(
    {
      keyGroups,
      shamirThreshold: threshold,
      lastModified,
      mac: encryptValue(dataKey, mac, 'str', lastModified, clock.randomBytes(32)),
      rule: options.rule,
      macOnlyEncrypted: macOnly,
    },
    options.indent,
  );
  appendBlocks(parsed, edits, block);
  return applyEdits(parsed.source, edits);
}

/**
 * Re-encrypts an edited plaintext with the original file's data key and metadata: unchanged
 * values keep their IV (so their line is byte-identical), and only `lastmodified` and `mac`
 * change in the `sops:` block.
 */
export function reencrypt(original: DecryptedFile, editedPlaintext: string, clock: Clock): string {
  const parsed = parseYaml(editedPlaintext);
  if (parsed.documents.some((d) => d.sopsPair)) {
    throw new SopsError('already-encrypted', 'the decrypted text has a top-level "sops" key; remove it before saving');
  }
  const { metadata, dataKey, ivs, sopsBlock } = original;
  const { edits, mac } = seal(parsed, dataKey, metadata.rule, metadata.macOnlyEncrypted, clock.randomBytes, ivs);
  const lastModified = formatLastModified(clock.now());
  const encMac = encryptValue(dataKey, mac, 'str', lastModified, clock.randomBytes(32));
  const block = applyEdits(sopsBlock.text, [
    { start: sopsBlock.lastModified[0], end: sopsBlock.lastModified[1], text: `"${lastModified}"` },
    { start: sopsBlock.mac[0], end: sopsBlock.mac[1], text: encMac },
  ]);
  appendBlocks(parsed, edits, block);
  return applyEdits(parsed.source, edits);
}
