// The JSON, dotenv and binary stores on their own (the real sops checks them in test/sops/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptBinary, encryptBinary } from '../../../server/src/sops/stores/binary';
import { decryptDotenv, dotenvMetadata, encryptDotenv } from '../../../server/src/sops/stores/dotenv';
import { SopsError } from '../../../server/src/sops/errors';
import { formatOf } from '../../../server/src/sops/stores/table';
import { decryptJson, encryptJson } from '../../../server/src/sops/stores/json';
import { DEFAULT_RULE } from '../../../server/src/sops/metadata';
import { identitiesFrom, keyFile, memoryIo, recipient } from '../../sops/support';

const options = { keyGroups: [[recipient]], rule: DEFAULT_RULE };
const ids = identitiesFrom(keyFile);

/** Lines of `a` that differ in `b`, as their key. */
function changed(a: string, b: string, key: RegExp): string[] {
  const bl = b.split('\n');
  return a.split('\n').flatMap((line, i) => (line === bl[i] ? [] : [key.exec(line)?.[1] ?? line]));
}

test('dotenv: round trip, comments encrypted, unchanged save only touches lastmodified and mac', async () => {
  const source = '# creds\nUSER=admin\nPASS=p=a=s=s\nMULTI=a\\nb\nKEEP_unencrypted=plain\n';
  const encrypted = await encryptDotenv(source, options, memoryIo());
  assert.match(encrypted, /^#ENC\[[^\n]+type:comment\]\nUSER=ENC\[/);
  assert.match(encrypted, /\nKEEP_unencrypted=plain\n/);
  assert.doesNotMatch(encrypted, /admin|p=a=s=s/);
  const decrypted = await decryptDotenv(encrypted, ids);
  assert.equal(decrypted.plaintext, source);
  const same = decrypted.reencrypt(decrypted.bytes, memoryIo({}, {}, new Date('2031-01-01T00:00:00Z')));
  assert.deepEqual(changed(encrypted, same, /^([^=]+)=/), ['sops_lastmodified', 'sops_mac']);
  await assert.rejects(encryptDotenv(encrypted, options, memoryIo()), /File already encrypted/);
});

test('dotenv: a malformed line is reported by number, never quoted', async () => {
  await assert.rejects(encryptDotenv('A=1\nsecret-without-equals\n', options, memoryIo()), (e: Error) => {
    assert.ok(e instanceof SopsError);
    assert.match(e.message, /line 2/);
    assert.doesNotMatch(e.message, /secret/);
    return true;
  });
});

test('JSON: round trip in Go formatting, numbers as floats, unchanged save only touches lastmodified and mac', async () => {
  const source = '{"name": "demo", "port": 8080, "ratio": 0.5, "on": true, "none": null, "list": [1, "two", {"x": "<y>"}], "empty": {}}';
  const encrypted = await encryptJson(source, options, memoryIo());
  assert.match(encrypted, /^\{\n\t"name": "ENC\[/);
  assert.match(encrypted, /"port": "ENC\[[^"]+type:float\]"/);
  assert.match(encrypted, /"none": null/);
  assert.match(encrypted, /\n\t"sops": \{\n\t\t"age": \[/);
  const decrypted = await decryptJson(encrypted, ids);
  assert.deepEqual(JSON.parse(decrypted.plaintext), JSON.parse(source));
  assert.match(decrypted.plaintext, /"x": "\\u003cy\\u003e"/);
  const same = decrypted.reencrypt(decrypted.bytes, memoryIo({}, {}, new Date('2031-01-01T00:00:00Z')));
  assert.deepEqual(changed(encrypted, same, /^\s*"(\w+)":/), ['lastmodified', 'mac']);
  await assert.rejects(encryptJson('[1, 2]', options, memoryIo()), /expected one JSON object/);
  await assert.rejects(encryptJson('{"a": "s3cr3t', options, memoryIo()), (e: Error) => e instanceof SopsError && !e.message.includes('s3cr3t'));
});

test('binary: any bytes round-trip exactly; a tampered file fails', async () => {
  const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3, 0x28, 0x0a]);
  const encrypted = await encryptBinary(bytes, options, memoryIo());
  assert.match(encrypted, /^\{\n\t"data": "ENC\[AES256_GCM,[^"]+type:str\]",\n\t"sops": \{/);
  assert.ok(encrypted.endsWith('}\n'));
  const decrypted = await decryptBinary(encrypted, ids);
  assert.deepEqual(Buffer.from(decrypted.bytes), bytes);
  const tampered = encrypted.replace(/data:(.)/, (_m, c: string) => `data:${c === 'A' ? 'B' : 'A'}`);
  await assert.rejects(decryptBinary(tampered, ids), (e: Error) => e instanceof SopsError && e.kind === 'tampered');
});

test('the store follows the extension as Go reads it (a file named .env is dotenv)', () => {
  const cases: [string, string][] = [['/r/.env', 'dotenv'], ['/r/prod.env', 'dotenv'], ['/r/a.YML', 'yaml'], ['/r/a.json', 'json'], ['/r/a.ini', 'ini'], ['/r/key.pem', 'binary'], ['/r/Makefile', 'binary']];
  for (const [path, format] of cases) assert.equal(formatOf(path), format, path);
});

test('dotenv metadata keys named __proto__ or constructor stay plain keys (no prototype pollution)', () => {
  const source = ['sops___proto____map_polluted=yes', 'sops_constructor__map_polluted=yes', 'sops_version=3.9.0', ''].join('\n');
  try {
    dotenvMetadata(source);
  } catch (e) {
    assert.ok(e instanceof SopsError, String(e));
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal((Object as unknown as Record<string, unknown>).polluted, undefined);
});
