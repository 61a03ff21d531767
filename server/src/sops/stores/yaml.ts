/**
 * Encrypt, decrypt and re-encrypt SOPS YAML in-process, as splices into the original text. The
 * result is returned only once everything succeeded (MAC included): on any error nothing is
 * returned, so callers cannot print or write plaintext by accident.
 */
import type { Node, Pair } from 'yaml';
import { Opener, type Sealer } from '../crypt';
import { recoverDataKey } from '../datakey';
import { parseYaml, type ParsedYaml, type ValueLeaf } from '../document';
import { SopsError } from '../errors';
import type { Identities } from '../keys';
import { decryptedFile, startEncryption, startReencryption, type KeyState } from '../lifecycle';
import { locateMetadataValues, readMetadata, writeMetadata, type SopsMetadata } from '../metadata';
import type { Clock, DecryptedFile, EncryptOptions, SopsStore } from '../sopsfile';
import { valueText } from '../yaml-text';

export type { Clock, DecryptedFile, EncryptOptions } from '../sopsfile';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

function applyEdits(source: string, edits: Edit[]): string {
  edits.sort((a, b) => b.start - a.start || b.end - a.end);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** The metadata of a SOPS YAML file, read without decrypting (recipients for the CodeLens). */
export function yamlMetadata(source: string): SopsMetadata {
  const first = parseYaml(source).documents[0];
  if (!first?.sopsPair) throw new SopsError('metadata-not-found', 'sops metadata not found');
  return readMetadata(first.sopsPair.value as Node);
}

/** Decrypts a SOPS YAML file; throws on a wrong key, a tampered value or a MAC mismatch. */
export async function decrypt(source: string, identities: Identities): Promise<DecryptedFile> {
  const parsed = parseYaml(source);
  const first = parsed.documents[0];
  if (!first?.sopsPair) throw new SopsError('metadata-not-found', 'sops metadata not found');
  const metadata = readMetadata(first.sopsPair.value as Node);
  const dataKey = await recoverDataKey(metadata, identities);
  const opener = new Opener(dataKey, metadata);
  const text = parsed.source;
  const eol = lineEnding(text);
  const edits: Edit[] = [];
  const itemComments = new Set<string>();
  for (const doc of parsed.documents) {
    for (const leaf of doc.leaves) {
      if (leaf.kind === 'comment') {
        const plain = opener.comment([leaf.path, ...leaf.otherPaths], leaf.commentsStack, leaf.text);
        if (plain !== undefined) edits.push({ start: leaf.start, end: leaf.end, text: `#${plain}` });
        continue;
      }
      const opened = opener.value(leaf.path, leaf.commentsStack, leaf.typed, leaf.raw);
      if (opened.kind === 'comment') {
        itemComments.add(itemCommentKey(leaf.path, opened.text));
        // sops writes encrypted comments in sequences as items: back to a comment line.
        edits.push({ start: sequenceItemStart(text, leaf), end: leaf.end, text: `#${opened.text}` });
      } else if (opened.kind === 'value') {
        edits.push({ start: leaf.start, end: leaf.end, text: valueText(opened.typed, leaf.flow, leaf.parentColumn, eol) + trailingNewline(text, leaf) });
      }
    }
    if (doc.sopsPair) edits.push(removal(text, doc.sopsPair));
  }
  opener.verifyMac();
  const blockStart = lineStartOf(text, (first.sopsPair.key as Node).range?.[0] ?? 0);
  const located = locateMetadataValues(first.sopsPair.value as Node);
  const rel = (r: [number, number]): [number, number] => [r[0] - blockStart, r[1] - blockStart];
  const block: SopsBlock = { text: text.slice(blockStart, removal(text, first.sopsPair).end), lastModified: rel(located.lastModified), mac: rel(located.mac) };
  const state: YamlState = { metadata, dataKey, ivs: opener.ivs, block, itemComments };
  return decryptedFile('yaml', Buffer.from(applyEdits(text, edits), 'utf8'), metadata, (edited, clock) =>
    reencryptYaml(state, Buffer.from(edited).toString('utf8'), clock),
  );
}

/** The first document's `sops:` block text and where its lastmodified/mac values sit in it. */
interface SopsBlock {
  readonly text: string;
  readonly lastModified: [number, number];
  readonly mac: [number, number];
}

interface YamlState extends KeyState {
  /** Comments the file stored as sequence items (sops' way), written back the same way. */
  readonly itemComments: ReadonlySet<string>;
  readonly block: SopsBlock;
}

/** Where the `- ` of a sequence item holding `leaf` starts (the leaf itself when it is not one). */
function sequenceItemStart(source: string, leaf: ValueLeaf): number {
  const m = /-[ \t]+$/.exec(source.slice(lineStartOf(source, leaf.start), leaf.start));
  if (!m) throw new SopsError('format', `Could not decrypt value: a comment is stored as the value at ${leaf.path.join(':')}:`);
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

/** Encrypts every leaf the rule selects, as edits of the text, with the sealer's MAC. */
function itemCommentKey(path: readonly string[], text: string): string {
  return `${path.join('\0')}\0\0${text}`;
}

/**
 * Encrypts every leaf the rule selects, as edits of the text. Comments stay comment lines (so
 * yaml.v3 files them as in the plaintext), but those the original file held as sequence items.
 */
function seal(parsed: ParsedYaml, sealer: Sealer, itemComments: ReadonlySet<string> = new Set()): Edit[] {
  if (parsed.documents.every((d) => !d.root)) {
    throw new SopsError('format', 'File cannot be completely empty, it must contain at least one document');
  }
  const edits: Edit[] = [];
  for (const doc of parsed.documents) {
    if (doc.sopsPair) throw new SopsError('already-encrypted', 'File already encrypted');
    for (const leaf of doc.leaves) {
      if (leaf.kind === 'comment') {
        const enc = sealer.comment(leaf.path, leaf.commentsStack, leaf.text);
        if (enc === undefined) continue;
        // sops writes an encrypted comment of a block sequence as an item of it.
        if (leaf.seqDashColumn === undefined || !itemComments.has(itemCommentKey(leaf.path, leaf.text))) {
          edits.push({ start: leaf.start, end: leaf.end, text: `#${enc}` });
        } else edits.push({ start: leaf.lineStart, end: leaf.end, text: `${' '.repeat(leaf.seqDashColumn)}- ${enc}` });
        continue;
      }
      const enc = sealer.value(leaf.path, leaf.commentsStack, leaf.typed);
      if (enc !== undefined) edits.push({ start: leaf.start, end: leaf.end, text: (leaf.flow ? `"${enc}"` : enc) + trailingNewline(parsed.source, leaf) });
    }
  }
  return edits;
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
  const { sealer, finish } = await startEncryption(options, clock);
  const parsed = parseYaml(source);
  const edits = seal(parsed, sealer);
  appendBlocks(parsed, edits, writeMetadata(finish(), options.indent));
  return applyEdits(parsed.source, edits);
}

/**
 * Re-encrypts an edited plaintext with the original file's data key and metadata: unchanged
 * values keep their IV (so their line is byte-identical), and only `lastmodified` and `mac`
 * change in the `sops:` block.
 */
function reencryptYaml(original: YamlState, editedPlaintext: string, clock: Clock): string {
  const parsed = parseYaml(editedPlaintext);
  if (parsed.documents.some((d) => d.sopsPair)) {
    throw new SopsError('already-encrypted', 'the decrypted text has a top-level "sops" key; remove it before saving');
  }
  const { sealer, finish } = startReencryption(original, clock);
  const edits = seal(parsed, sealer, original.itemComments);
  const { lastModified, mac } = finish();
  const { block } = original;
  const newBlock = applyEdits(block.text, [
    { start: block.lastModified[0], end: block.lastModified[1], text: `"${lastModified}"` },
    { start: block.mac[0], end: block.mac[1], text: mac },
  ]);
  appendBlocks(parsed, edits, newBlock);
  return applyEdits(parsed.source, edits);
}

/** Re-encrypts the edited text of any decrypted file (see DecryptedFile.reencrypt). */
export function reencrypt(original: DecryptedFile, editedPlaintext: string, clock: Clock): string {
  return original.reencrypt(Buffer.from(editedPlaintext, 'utf8'), clock);
}

/** sops' YAML store (.yaml, .yml). */
export const yamlStore: SopsStore = {
  format: 'yaml',
  metadata: yamlMetadata,
  encrypt: (plaintext, options, clock) => encrypt(Buffer.from(plaintext).toString('utf8'), options, clock),
  decrypt,
};
