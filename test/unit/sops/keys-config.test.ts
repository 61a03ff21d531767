import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { creationRuleFor, findConfig } from '../../../server/src/sops/config';
import { loadIdentities } from '../../../server/src/sops/keys';
import { encryptionOptions } from '../../../server/src/sops/files';
import { globalKeyFile, keyFile, memoryIo, recipient, vectors } from '../../sops/support';

const key = readFileSync(keyFile, 'utf8');
const globalKey = readFileSync(globalKeyFile, 'utf8');
const secretOf = (text: string): string => text.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-')) as string;

test('identities merge SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, the XDG keys.txt and the setting', async () => {
  const files = { '/keys/a.txt': key, '/xdg/sops/age/keys.txt': globalKey, '/setting.txt': key };
  const ids = await loadIdentities(memoryIo(files, { SOPS_AGE_KEY: globalKey, SOPS_AGE_KEY_FILE: '/keys/a.txt', XDG_CONFIG_HOME: '/xdg' }), '/setting.txt');
  assert.deepEqual([...ids.keys].sort(), [secretOf(key), secretOf(globalKey)].sort());
  assert.equal(ids.searched.length, 4);
  const home = await loadIdentities(memoryIo({ '/home/test/.config/sops/age/keys.txt': key }));
  assert.deepEqual(home.keys, [secretOf(key)]);
  assert.match(home.searched.join(), /SOPS_AGE_KEY \(not set\)/);
});

test('a missing SOPS_AGE_KEY_FILE is an error, as in sops', async () => {
  await assert.rejects(loadIdentities(memoryIo({}, { SOPS_AGE_KEY_FILE: '/nope' })), /failed to open SOPS_AGE_KEY_FILE/);
});

test('plugin identities and SOPS_AGE_KEY_CMD are reported as unsupported', async () => {
  const ids = await loadIdentities(memoryIo({}, { SOPS_AGE_KEY: 'AGE-PLUGIN-YUBIKEY-1ABC\n', SOPS_AGE_KEY_CMD: 'pass age' }));
  assert.equal(ids.keys.length, 0);
  assert.match(ids.unsupported.join('\n'), /age plugin identity in SOPS_AGE_KEY/);
  assert.match(ids.unsupported.join('\n'), /SOPS_AGE_KEY_CMD is not supported/);
});

test('the nearest .sops.yaml wins and its first matching creation rule applies', async () => {
  const text = readFileSync(join(vectors, '.sops.yaml'), 'utf8');
  const io = memoryIo({ [join(vectors, '.sops.yaml')]: text });
  const config = await findConfig(join(vectors, 'deep/down/secret.yaml'), io);
  assert.equal(config?.path, join(vectors, '.sops.yaml'));
  const yamlRule = creationRuleFor(join(vectors, 'apps/secret.yaml'), config!);
  assert.deepEqual(yamlRule.keyGroups, [[recipient]]);
  assert.deepEqual(yamlRule.rule, { kind: 'encrypted_regex', value: '^(data|stringData)$' });
  assert.equal(yamlRule.indent, 2);
  assert.deepEqual(creationRuleFor(join(vectors, 'x/json.yaml'), config!).rule, { kind: 'encrypted_regex', value: '.*' });
  assert.throws(() => creationRuleFor(join(vectors, 'inside/pgp.yaml'), config!), /pgp keys, which are not supported in-process/);
  assert.throws(() => creationRuleFor(join(vectors, 'other.txt.bin'), config!), /pgp keys, which are not supported/);
});

test('no rule matching, several rule kinds, or no config at all are clear errors', async () => {
  const only = { path: '/r/.sops.yaml', text: `creation_rules:\n  - path_regex: ^prod/\n    age: ${recipient}\n` };
  assert.throws(() => creationRuleFor('/r/dev/a.yaml', only), /no matching creation rules found/);
  assert.deepEqual(creationRuleFor('/r/prod/a.yaml', only).keyGroups, [[recipient]]);
  const both = { path: '/r/.sops.yaml', text: `creation_rules:\n  - age: ${recipient}\n    encrypted_regex: a\n    unencrypted_suffix: b\n` };
  assert.throws(() => creationRuleFor('/r/a.yaml', both), /Cannot use more than one of/);
  await assert.rejects(encryptionOptions('/r/a.yaml', memoryIo()), /no age recipients: pass --age, or add a \.sops\.yaml/);
  const lists = { path: '/r/.sops.yaml', text: `creation_rules:\n  - age: ["${recipient}", "${recipient}"]\n    mac_only_encrypted: true\n` };
  assert.deepEqual(creationRuleFor('/r/a.yaml', lists).keyGroups, [[recipient, recipient]]);
  assert.equal(creationRuleFor('/r/a.yaml', lists).macOnlyEncrypted, true);
});
