// The `ENC[…]` value parser: the same accept/reject set and the same field split as sops' Go
// regexp (re2js, a port of Go's RE2 engine, is the reference), in linear time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { RE2JS } from 're2js';
import { decryptValue, encryptValue, isEncryptedValue, splitEncryptedValue } from '../../../server/src/sops/cipher';
import { SopsError } from '../../../server/src/sops/errors';

// sops' aes/cipher.go: `var encre = regexp.MustCompile(...)`, used through FindStringSubmatch.
const SOPS_ENC_VALUE = RE2JS.compile('^ENC\\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\\]');

function sopsSplit(text: string): string[] | undefined {
  const m = SOPS_ENC_VALUE.matcher(text);
  return m.find() ? [1, 2, 3, 4].map((g) => m.group(g) as string) : undefined;
}

function oursSplit(text: string): string[] | undefined {
  const f = splitEncryptedValue(text);
  return f && [f.data, f.iv, f.tag, f.type];
}

/** xorshift32: deterministic, so a failure is reproducible, and it reaches every piece. */
function generator(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

test('values split where sops splits them: greedy fields, first line only, anything after the `]`', () => {
  const pieces = [',iv:', ',tag:', ',type:', ']', 'a', 'b=', '\n', '\r', ',', ':', 'é', ' '];
  const rnd = generator(11);
  let matched = 0;
  for (let i = 0; i < 20000; i++) {
    // A well-formed skeleton with delimiters and line breaks inserted and replaced at random.
    const body = ['a', ',iv:', 'b', ',tag:', 'a', ',type:', 'b', ']'];
    for (let k = rnd(7); k > 0; k--) body.splice(rnd(body.length + 1), rnd(4) === 0 ? 1 : 0, pieces[rnd(pieces.length)] as string);
    const text = `ENC[AES256_GCM,data:${body.join('')}`;
    const expected = sopsSplit(text);
    if (expected) matched++;
    assert.deepEqual(oursSplit(text), expected, JSON.stringify(text));
    assert.equal(isEncryptedValue(text), expected !== undefined, JSON.stringify(text));
  }
  // Both outcomes are well represented, so the comparison means something.
  assert.ok(matched > 5000 && matched < 15000, `${matched} of 20000 matched`);
});

test('a real value and the edge cases split as in sops', () => {
  const key = randomBytes(32);
  const value = encryptValue(key, 'hunter2', 'str', 'a:');
  for (const text of [
    value,
    `${value} trailing`,
    'ENC[AES256_GCM,data:a,iv:b,iv:c,tag:d,type:e]x]',
    'ENC[AES256_GCM,data:,iv:b,tag:c,type:d]',
    'ENC[AES256_GCM,data:a,iv:b,tag:c,type:]',
    'ENC[AES256_GCM,data:a\r,iv:b,tag:c,type:d]',
    'ENC[AES256_GCM,data:a\n,iv:b,tag:c,type:d]',
    'ENC[AES256_GCM,data:a,iv:b,tag:c,type:d]\nENC[AES256_GCM,data:e,iv:f,tag:g,type:h]',
    'ENC[AES256_GCM,data:,iv:,iv:,tag:,tag:,type:,type:]]',
    ' ENC[AES256_GCM,data:a,iv:b,tag:c,type:d]',
  ]) {
    assert.deepEqual(oursSplit(text), sopsSplit(text), JSON.stringify(text));
  }
  assert.equal(decryptValue(key, `${value} trailing`, 'a:').plaintext, 'hunter2');
});

// A linear parse of 30 KB takes well under a millisecond; 250 ms leaves room for a loaded shared
// machine and a cold JIT while staying far below what the backtracking regex took (9 KB of
// `,iv:,tag:` 5.7 s, 18 KB 52 s: cubic, so 30 KB would be minutes).
const BOUND_MS = 250;

test(`crafted 30 KB values are parsed in under ${BOUND_MS} ms each`, () => {
  const prefix = 'ENC[AES256_GCM,data:';
  const size = 30_000;
  const fill = (unit: string): string => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const crafted = [
    prefix + fill(',iv:,tag:'),
    prefix + fill(',iv:,tag:,type:'),
    prefix + fill('x,iv:x,tag:x,type:'),
    prefix + fill(',iv:x,tag:x,type:x]'),
    prefix + fill(',type:,tag:,iv:]'),
    prefix + fill('x'),
    prefix + fill(',iv:,tag:,type:\r'),
    `${prefix}a,iv:b,tag:c,type:d]\n${fill(',iv:,tag:,type:]')}`,
  ];
  const key = randomBytes(32);
  for (const text of crafted) {
    const start = performance.now();
    const accepted = isEncryptedValue(text);
    try {
      decryptValue(key, text, 'a:');
    } catch (error) {
      assert.ok(error instanceof SopsError, String(error));
    }
    const elapsed = performance.now() - start;
    assert.ok(elapsed < BOUND_MS, `${JSON.stringify(text.slice(0, 40))}… (accepted: ${accepted}) took ${elapsed.toFixed(0)} ms`);
  }
});

test('every base64 field is decoded as Go decodes it, and a bad one is named', () => {
  const key = randomBytes(32);
  const value = encryptValue(key, 'hunter2', 'str', 'a:');
  const fields = /^ENC\[AES256_GCM,data:(.*),iv:(.*),tag:(.*),type:str\]$/.exec(value)?.slice(1) as [string, string, string];
  const rebuild = (data: string, iv: string, tag: string): string => `ENC[AES256_GCM,data:${data},iv:${iv},tag:${tag},type:str]`;
  // Go's StdEncoding skips CR wherever it is (a newline cannot be inside a value: `.` stops there).
  assert.equal(decryptValue(key, rebuild(fields[0], `${fields[1].slice(0, 5)}\r${fields[1].slice(5)}\r`, fields[2]), 'a:').plaintext, 'hunter2');
  const junk: [string, (s: string) => string][] = [
    ['a stray character', (s) => `${s.slice(0, 4)}!${s.slice(4)}`],
    ['a space', (s) => `${s.slice(0, 4)} ${s.slice(4)}`],
    ['missing padding', (s) => s.replace(/=+$/, '')],
    ['data after the padding', (s) => `${s}AAAA`],
    ['a tab', (s) => `${s}\t`],
  ];
  for (const [what, spoil] of junk) {
    for (const [i, field] of (['data', 'iv', 'tag'] as const).entries()) {
      const parts = [...fields] as [string, string, string];
      // 7, 32 and 16 bytes: every field ends in padding, so each spoiling applies to each.
      parts[i] = spoil(parts[i]);
      assert.throws(
        () => decryptValue(key, rebuild(...parts), 'stringData:password:'),
        (e: unknown) => e instanceof SopsError && e.kind === 'tampered' && e.message.includes(`base64-decoding ${field} of the value at stringData:password:`),
        `${what} in ${field}`,
      );
    }
  }
});
