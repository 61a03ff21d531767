import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseYaml } from '../../../server/src/sops/document';
import { decrypt, encrypt, reencrypt } from '../../../server/src/sops/stores/yaml';
import { SopsError } from '../../../server/src/sops/errors';
import { decryptFileContent } from '../../../server/src/sops/files';
import { DEFAULT_RULE, type EncryptionRule } from '../../../server/src/sops/metadata';
import { editAndDiff, globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient, vectors } from '../../sops/support';

const expectedVectors: [string, string, Record<string, unknown>][] = [
  ['algorithms/age.yaml', keyFile, { key: 'value' }],
  ['global/secret.yaml', globalKeyFile, { key: 'global-value' }],
  ['patches/merge1.yaml', keyFile, { key: 'merge1' }],
  ['patches/merge2.yaml', keyFile, { merge2: 'merge2' }],
];

test('every YAML vector decrypts with its key, MAC checked', async () => {
  for (const [file, key, stringData] of expectedVectors) {
    const { plaintext } = await decrypt(readFileSync(join(vectors, file), 'utf8'), identitiesFrom(key));
    const doc = parse(plaintext) as Record<string, unknown>;
    assert.deepEqual(doc['stringData'], stringData, file);
    assert.equal(doc['sops'], undefined, file);
  }
});

test('the Secret whose data holds an encrypted JSON file decrypts as a plain YAML file (no sops key)', async () => {
  const source = readFileSync(join(vectors, 'inside/secret.yaml'), 'utf8');
  await assert.rejects(decrypt(source, identitiesFrom(keyFile)), (e: unknown) => e instanceof SopsError && e.kind === 'metadata-not-found');
  const inner = Buffer.from((parse(source) as { data: { key: string } }).data.key, 'base64').toString('utf8');
  assert.match(inner, /"sops"/);
});

test('the dotenv and binary vectors decrypt too, MAC checked; INI files get a clear "not supported"', async () => {
  const io = memoryIo({}, { SOPS_AGE_KEY: readFileSync(keyFile, 'utf8') });
  const env = await decryptFileContent(join(vectors, 'envs/env.env'), readFileSync(join(vectors, 'envs/env.env'), 'utf8'), io);
  assert.equal(env.format, 'dotenv');
  assert.match(env.plaintext, /^key=[^\n]+\n$/);
  const file = await decryptFileContent(join(vectors, 'files/file.txt'), readFileSync(join(vectors, 'files/file.txt'), 'utf8'), io);
  assert.equal(file.format, 'binary');
  assert.equal(file.bytes.length, 5);
  await assert.rejects(decryptFileContent('/x/secret.ini', '[a]', io), /ini format is not supported in-process/);
});

const sample = `# Secret with every kind of value
apiVersion: v1
kind: Secret
metadata:
  name: demo
stringData:
  password: s3cr3t-MARKER # inline
  port: 0755
  ratio: 1e3
  enabled: true
  when: 2024-01-15
  empty: ""
  nothing: null
  multi: |
    line one
    line two
  list: [a, 1, {x: y}]
  public_unencrypted: visible
data:
  nested:
    - deep: 42
---
second: doc
`;

function leavesOf(text: string): string[] {
  return parseYaml(text).documents.flatMap((d) =>
    d.leaves.map((l) => (l.kind === 'comment' ? `#${l.text}` : `${l.path.join(':')}=${l.typed?.type ?? 'null'}:${l.typed?.text ?? ''}`)),
  );
}

async function roundTrip(rule: EncryptionRule, source = sample): Promise<{ encrypted: string; plaintext: string }> {
  const encrypted = await encrypt(source, { keyGroups: [[recipient]], rule }, memoryIo());
  const { plaintext } = await decrypt(encrypted, identitiesFrom(keyFile));
  return { encrypted, plaintext };
}

test('encrypt then decrypt gives the same data under every encryption rule', async () => {
  const rules: EncryptionRule[] = [
    DEFAULT_RULE,
    { kind: 'encrypted_suffix', value: 'word' },
    { kind: 'unencrypted_regex', value: '^(apiVersion|kind|metadata)$' },
    { kind: 'encrypted_regex', value: '^(data|stringData)$' },
    { kind: 'unencrypted_comment_regex', value: 'inline' },
    { kind: 'encrypted_comment_regex', value: 'every kind' },
  ];
  for (const rule of rules) {
    const { encrypted, plaintext } = await roundTrip(rule);
    // Same leaves as sops types them (0755 is int 493 whether written 0755 or 493), same comments.
    assert.deepEqual(leavesOf(plaintext), leavesOf(sample), rule.kind);
    assert.match(encrypted, new RegExp(`\\n    ${rule.kind}: `), rule.kind);
  }
});

test('encryption rules select the right values', async () => {
  const { encrypted } = await roundTrip({ kind: 'encrypted_regex', value: '^(data|stringData)$' });
  assert.match(encrypted, /\nkind: Secret\n/);
  assert.match(encrypted, /\n {2}name: demo\n/);
  assert.match(encrypted, /password: ENC\[AES256_GCM,data:[^\]]+,type:str\]/);
  assert.match(encrypted, /port: ENC\[[^\]]+type:int\]/);
  assert.match(encrypted, /ratio: ENC\[[^\]]+type:float\]/);
  assert.match(encrypted, /enabled: ENC\[[^\]]+type:bool\]/);
  assert.match(encrypted, /when: ENC\[[^\]]+type:time\]/);
  assert.match(encrypted, /empty: ""\n/);
  assert.match(encrypted, /nothing: null\n/);
  assert.match(encrypted, /# Secret with every kind of value\n/);
  assert.match(encrypted, /#ENC\[[^\]]+type:comment\]/);
  const suffix = await roundTrip(DEFAULT_RULE);
  assert.match(suffix.encrypted, /public_unencrypted: visible\n/);
  assert.match(suffix.encrypted, /kind: ENC\[/);
  assert.doesNotMatch(suffix.encrypted, /MARKER|s3cr3t|line one/);
});

test('comment rules: a value after a matching comment is encrypted, the marker comment stays plain', async () => {
  const source = 'a: 1\n# sops:enc\nb: 2\nc: 3\n';
  const encrypted = await encrypt(source, { keyGroups: [[recipient]], rule: { kind: 'encrypted_comment_regex', value: 'sops:enc' } }, memoryIo());
  assert.match(encrypted, /^a: 1\n# sops:enc\nb: ENC\[[^\n]+\nc: 3\n/);
});

test('several key groups use Shamir; the threshold of groups decrypts, fewer do not', async () => {
  const encrypted = await encrypt(sample, { keyGroups: [[recipient], [globalRecipient]], rule: DEFAULT_RULE, shamirThreshold: 2 }, memoryIo());
  assert.match(encrypted, /\n {4}shamir_threshold: 2\n {4}key_groups:\n {8}- age:\n {12}- recipient: age1/);
  const both = await decrypt(encrypted, identitiesFrom(keyFile, globalKeyFile));
  assert.match(both.plaintext, /s3cr3t-MARKER/);
  await assert.rejects(decrypt(encrypted, identitiesFrom(keyFile)), /Shamir threshold of 2, but only 1 part/);
});

test('mac_only_encrypted files round-trip and their MAC differs from the full MAC', async () => {
  const io = memoryIo();
  const encrypted = await encrypt(sample, { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^data$' }, macOnlyEncrypted: true }, io);
  assert.match(encrypted, /\n {4}mac_only_encrypted: true\n/);
  const { plaintext } = await decrypt(encrypted, identitiesFrom(keyFile));
  // Changing an unencrypted value does not break a MAC over encrypted values only.
  const edited = encrypted.replace('name: demo', 'name: other');
  assert.match((await decrypt(edited, identitiesFrom(keyFile))).plaintext, /name: other/);
  assert.match(plaintext, /deep: 42/);
});

function assertNoPlaintext(error: unknown, ...secrets: string[]): boolean {
  assert.ok(error instanceof SopsError);
  for (const s of secrets) assert.ok(!error.message.includes(s), `error message leaks ${s}`);
  return true;
}

test('a tampered value fails (GCM authentication) and shows no plaintext', async () => {
  const { encrypted } = await roundTrip(DEFAULT_RULE);
  const tampered = encrypted.replace(/(password: ENC\[AES256_GCM,data:)(.)/, (_m, p: string, c: string) => p + (c === 'A' ? 'B' : 'A'));
  assert.notEqual(tampered, encrypted);
  await assert.rejects(decrypt(tampered, identitiesFrom(keyFile)), (e) => assertNoPlaintext(e, 's3cr3t') && (e as SopsError).kind === 'tampered');
});

test('a value moved to another path fails: the path is authenticated', async () => {
  const { encrypted } = await roundTrip(DEFAULT_RULE);
  const password = /password: (ENC\[[^\]]+\])/.exec(encrypted)?.[1] as string;
  const moved = encrypted.replace(/kind: ENC\[[^\]]+\]/, `kind: ${password}`);
  await assert.rejects(decrypt(moved, identitiesFrom(keyFile)), (e) => (e as SopsError).kind === 'tampered');
});

test('a wrong key fails with the recipients and where keys were looked for', async () => {
  const { encrypted } = await roundTrip(DEFAULT_RULE);
  await assert.rejects(decrypt(encrypted, identitiesFrom(globalKeyFile)), (e) => {
    assertNoPlaintext(e, 's3cr3t');
    assert.equal((e as SopsError).exitCode, 128);
    assert.match((e as Error).message, /no identity matched any of the recipients/);
    assert.match((e as Error).message, new RegExp(recipient));
    assert.match((e as Error).message, /age-global\.txt/);
    return true;
  });
});

test('a broken MAC fails with sops\' message and no plaintext', async () => {
  const { encrypted } = await roundTrip(DEFAULT_RULE);
  // Swap the MAC for one of another file encrypted with a different data key: undecryptable.
  const other = (await roundTrip(DEFAULT_RULE)).encrypted;
  const foreignMac = /\n {4}mac: (.*)\n/.exec(other)?.[1] as string;
  const broken = encrypted.replace(/\n( {4}mac: ).*\n/, `\n$1${foreignMac}\n`);
  await assert.rejects(decrypt(broken, identitiesFrom(keyFile)), (e) => assertNoPlaintext(e, 's3cr3t') && (e as SopsError).kind === 'mac-mismatch');
  // An unencrypted value changed after encryption: the MAC no longer matches.
  const edited = encrypted.replace('public_unencrypted: visible', 'public_unencrypted: changed');
  await assert.rejects(decrypt(edited, identitiesFrom(keyFile)), (e) => {
    assertNoPlaintext(e, 's3cr3t');
    assert.match((e as Error).message, /^MAC mismatch\. File has [0-9A-F]{128}, computed [0-9A-F]{128}$/);
    return true;
  });
});

test('encrypting an encrypted file is refused', async () => {
  const { encrypted } = await roundTrip(DEFAULT_RULE);
  await assert.rejects(encrypt(encrypted, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo()), /File already encrypted/);
});

test('ssh and plugin recipients are refused with a clear reason', async () => {
  await assert.rejects(encrypt('a: 1\n', { keyGroups: [['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGs user@host']], rule: DEFAULT_RULE }, memoryIo()), /ssh recipient .* not supported in-process/);
  await assert.rejects(encrypt('a: 1\n', { keyGroups: [['age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3t']], rule: DEFAULT_RULE }, memoryIo()), /plugin recipient/);
});

test('documents sops rejects are rejected: sequences, values, non-string keys, duplicate keys', async () => {
  const opts = { keyGroups: [[recipient]], rule: DEFAULT_RULE };
  await assert.rejects(encrypt('- a\n', opts, memoryIo()), /sequences are not supported/);
  await assert.rejects(encrypt('just a value\n', opts, memoryIo()), /values are not supported/);
  await assert.rejects(encrypt('1: one\n', opts, memoryIo()), /non-string key \(type int\)/);
  await assert.rejects(encrypt('a: 1\na: 2\n', opts, memoryIo()), /duplicate key at line 2, column 1/);
  // A YAML error never quotes the text (it may be a secret).
  await assert.rejects(encrypt('a: "s3cr3t\\q"\n', opts, memoryIo()), (e: Error) => e instanceof SopsError && !e.message.includes('s3cr3t') && !e.message.includes('\\q'));
});

test('minimal diff: editing one value changes only its line, lastmodified and mac', async () => {
  const first = await encrypt(sample, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
  const { saved: second, changed } = await editAndDiff(first, (p) => p.replace('port: 493', 'port: 8080'));
  assert.deepEqual(changed, ['port:', 'lastmodified:', 'mac:', 'lastmodified:', 'mac:']);
  assert.match((await decrypt(second, identitiesFrom(keyFile))).plaintext, /port: 8080/);
  // Re-encrypting without any edit reproduces every data line.
  const decrypted = await decrypt(first, identitiesFrom(keyFile));
  const same = reencrypt(decrypted, decrypted.plaintext, memoryIo());
  assert.deepEqual(
    same.split('\n').filter((l) => !/lastmodified|mac:/.test(l)),
    first.split('\n').filter((l) => !/lastmodified|mac:/.test(l)),
  );
});

test('CRLF files stay CRLF, sops: block and decrypted block scalars included', async () => {
  const source = '# head\r\na: 1 # tail\r\nb:\r\n  c: |\r\n    x\r\n    y\r\n  d: "q"\r\n';
  const encrypted = await encrypt(source, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
  assert.doesNotMatch(encrypted, /[^\r]\n/);
  const { plaintext } = await decrypt(encrypted, identitiesFrom(keyFile));
  assert.doesNotMatch(plaintext, /[^\r]\n/);
  assert.deepEqual(leavesOf(plaintext), leavesOf(source));
});

test('a file whose only recipient is an ssh key says ssh is not supported in-process', async () => {
  const encrypted = await encrypt('a: 1\n', { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
  const ssh = encrypted.replace(/recipient: age1\S+/, 'recipient: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGs user@host');
  await assert.rejects(decrypt(ssh, identitiesFrom(globalKeyFile)), /ssh recipient .* is not supported in-process/);
});
