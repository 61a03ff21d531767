/**
 * Base64 as strict as sops and Flux read it, judged by the real sops: a sops-encrypted file with
 * one value or the age armor rewritten (junk characters, padding, line breaks, spaces) decrypts
 * here exactly when `sops -d` decrypts it (to its output), and fails with its exit code otherwise;
 * a `!!binary` scalar is encrypted exactly when `sops -e` takes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt, encrypt } from '../../server/src/sops/stores/yaml';
import { SopsError } from '../../server/src/sops/errors';
import { DEFAULT_RULE } from '../../server/src/sops/metadata';
import { replaceEnc } from './stanzas';
import { identitiesFrom, keyFile, memoryIo, recipient, runSops, sopsBinary, sopsDecryptOutcome, sopsVersions } from './support';

// sops' own layout (4-space indent), so that its decryption gives the same text back.
const PLAIN = 'kind: Secret\nstringData:\n    token: s3cr3t-value\n';
const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-base64-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `field` with its last significant character changed in its unused low bits only (same bytes). */
function otherUnusedBits(field: string): string {
  const padding = field.length - field.replace(/=+$/, '').length;
  const at = field.length - padding - 1;
  const value = BASE64.indexOf(field[at] as string);
  // With `==` the last character carries 4 unused bits, with `=` 2.
  return field.slice(0, at) + (BASE64[value ^ (padding === 2 ? 0b1000 : 0b10)] as string) + field.slice(at + 1);
}

type Edit = (s: string) => string;

/** Rewrites one base64 field of the `token` value, written back double-quoted so CR survives. */
function tokenField(field: 'data' | 'iv' | 'tag', edit: Edit): Edit {
  return (yaml) =>
    yaml.replace(/(token: )(ENC\[\S+\])/, (_m, key: string, value: string) =>
      key + JSON.stringify(value.replace(new RegExp(`(${field}:)([^,]+)`), (_f, name: string, b64: string) => name + edit(b64))),
    );
}

/** Rewrites the lines (BEGIN to END) of the only age entry's armor. */
function armorLines(edit: (lines: string[]) => string[]): Edit {
  return (yaml) => replaceEnc(yaml, 0, (armor) => `${edit(armor.replace(/\n$/, '').split('\n')).join('\n')}\n`);
}
const onLine = (index: number, edit: Edit) => (lines: string[]) => lines.map((l, i) => (i === (index < 0 ? lines.length + index : index) ? edit(l) : l));

const VARIANTS: Record<string, Edit> = {
  'value: CR inside the iv': tokenField('iv', (b) => `${b.slice(0, 8)}\r${b.slice(8)}`),
  'value: other unused bits in the tag': tokenField('tag', otherUnusedBits),
  'value: a junk character in the data': tokenField('data', (b) => `${b.slice(0, 2)}!${b.slice(2)}`),
  'value: a space in the iv': tokenField('iv', (b) => `${b.slice(0, 8)} ${b.slice(8)}`),
  'value: a tab after the data': tokenField('data', (b) => `${b}\t`),
  'value: padding missing from the tag': tokenField('tag', (b) => b.replace(/=+$/, '')),
  'value: data after the iv padding': tokenField('iv', (b) => `${b}AAAA`),
  'value: padding inside the iv': tokenField('iv', (b) => `${b.slice(0, 4)}=${b.slice(5)}`),
  'armor: CRLF line ends': armorLines((lines) => lines.map((l) => `${l}\r`)),
  'armor: blank lines before and after': armorLines((lines) => ['', '  ', ...lines, ' ', '']),
  'armor: CR inside the short last line': armorLines(onLine(-2, (l) => `${l.slice(0, 4)}\r${l.slice(4)}`)),
  'armor: spaces before the BEGIN line': armorLines(onLine(0, (l) => `  ${l}`)),
  'armor: spaces after the BEGIN line': armorLines(onLine(0, (l) => `${l}  `)),
  'armor: a junk character': armorLines(onLine(1, (l) => `${l.slice(0, 10)}!${l.slice(11)}`)),
  'armor: `=` inside a full line': armorLines(onLine(1, (l) => `${l.slice(0, 10)}=${l.slice(11)}`)),
  'armor: other unused bits in the last line': armorLines(onLine(-2, otherUnusedBits)),
  'armor: lines wrapped at 76 columns': armorLines((lines) => [lines[0] as string, ...(lines.slice(1, -1).join('').match(/.{1,76}/g) ?? []), lines.at(-1) as string]),
  'armor: a blank line between data lines': armorLines((lines) => [...lines.slice(0, 2), '', ...lines.slice(2)]),
  'armor: text after the END line': armorLines((lines) => [...lines, 'junk']),
};

async function ourOutcome(encrypted: string): Promise<{ plaintext: string } | { exitCode: number }> {
  try {
    return { plaintext: (await decrypt(encrypted, identitiesFrom(keyFile))).plaintext };
  } catch (error) {
    if (!(error instanceof SopsError)) throw error;
    return { exitCode: error.exitCode };
  }
}

for (const version of sopsVersions()) {
  test(`${version}: rewritten base64 decrypts exactly when sops decrypts it`, async () => {
    const sops = sopsBinary(version);
    const encrypted = runSops(sops, ['-e', '--age', recipient, '--input-type', 'yaml', '--output-type', 'yaml'], PLAIN, work);
    const theirs: Record<string, unknown> = {};
    const ours: Record<string, unknown> = {};
    const accepted: string[] = [];
    for (const [name, edit] of Object.entries(VARIANTS)) {
      const variant = edit(encrypted);
      assert.notEqual(variant, encrypted, name);
      const outcome = sopsDecryptOutcome(sops, variant, work, [keyFile]);
      if ('plaintext' in outcome) {
        assert.equal(outcome.plaintext, PLAIN, `${name}: sops itself`);
        accepted.push(name);
      }
      theirs[name] = outcome;
      ours[name] = await ourOutcome(variant);
    }
    assert.deepEqual(ours, theirs);
    // What Go's decoders let through (and the rest is refused): the cases mean what their names say.
    assert.deepEqual(accepted, [
      'value: CR inside the iv',
      'value: other unused bits in the tag',
      'armor: CRLF line ends',
      'armor: blank lines before and after',
      'armor: CR inside the short last line',
    ]);
  });
}

// yaml.v3 decodes a `!!binary` scalar with Go's StdEncoding before sops sees it (and the JavaScript
// yaml library decodes `!!binary` and `!!timestamp` itself: the engine must read the scalar's text).
const TAGGED_SCALARS: Record<string, string> = {
  timestamp: 'a: !!timestamp 2001-12-14t21:59:43.10-05:00\n',
  plain: 'a: !!binary aGVsbG8=\n',
  'literal block (LF between lines)': 'a: !!binary |\n  aGVs\n  bG8=\n',
  'CR inside': 'a: !!binary "aGVs\\rbG8="\n',
  'a space inside': 'a: !!binary "aGVs bG8="\n',
  'folded plain scalar (a space)': 'a: !!binary aGVs\n  bG8=\n',
  'padding missing': 'a: !!binary aGVsbG8\n',
  'a junk character': 'a: !!binary "aGVsbG8=!"\n',
};

for (const version of sopsVersions()) {
  test(`${version}: a !!binary (or !!timestamp) scalar is encrypted exactly when sops encrypts it, to the same plaintext`, async () => {
    const sops = sopsBinary(version);
    const accepted: string[] = [];
    for (const [name, source] of Object.entries(TAGGED_SCALARS)) {
      let theirs: string | undefined;
      try {
        theirs = runSops(sops, ['-d', '--input-type', 'yaml', '--output-type', 'yaml'], runSops(sops, ['-e', '--age', recipient, '--input-type', 'yaml', '--output-type', 'yaml'], source, work), work);
        accepted.push(name);
      } catch {
        theirs = undefined;
      }
      let ours: string | undefined;
      try {
        ours = runSops(sops, ['-d', '--input-type', 'yaml', '--output-type', 'yaml'], await encrypt(source, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo()), work);
      } catch (error) {
        if (!(error instanceof SopsError)) throw error;
        assert.match(error.message, /^!!binary value contains invalid base64 data at a:$/, name);
        ours = undefined;
      }
      assert.equal(ours, theirs, name);
    }
    assert.deepEqual(accepted, ['timestamp', 'plain', 'literal block (LF between lines)', 'CR inside']);
  });
}
