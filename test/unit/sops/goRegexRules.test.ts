// sops rule patterns (`.sops.yaml` and the metadata of a file) are Go regular expressions: read
// with Go's syntax and meaning, not as JavaScript ones. Real sops agrees: test/sops/interop-regex.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { creationRuleFor } from '../../../server/src/sops/config';
import { decrypt, encrypt } from '../../../server/src/sops/stores/yaml';
import { SopsError } from '../../../server/src/sops/errors';
import { globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient } from '../../sops/support';

const SECRET = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: hunter2\ndata:\n  token: dG9rZW4=\n';

/** The `key: value` lines of the encrypted text that are still plain (the sops block aside). */
function plainLines(encrypted: string): string[] {
  const body = encrypted.slice(0, encrypted.indexOf('\nsops:\n'));
  return body.split('\n').filter((line) => /^\s*\w+: \S/.test(line) && !line.includes('ENC['));
}

async function encryptWith(kind: 'encrypted_regex' | 'unencrypted_regex', value: string, text = SECRET): Promise<string> {
  return encrypt(text, { keyGroups: [[recipient]], rule: { kind, value } }, memoryIo());
}

test('encrypted_regex with a POSIX class ([[:lower:]]) encrypts stringData.password, as sops does', async () => {
  const encrypted = await encryptWith('encrypted_regex', '^([[:lower:]]+Data|data)$');
  assert.deepEqual(plainLines(encrypted), ['apiVersion: v1', 'kind: Secret', '  name: db']);
  const decrypted = await decrypt(encrypted, identitiesFrom(keyFile));
  assert.equal(decrypted.plaintext, SECRET);
});

test('Go flag groups, \\pL and \\Q…\\E keep their Go meaning in rules', async () => {
  const secretsOnly = ['apiVersion: v1', 'kind: Secret', '  name: db'];
  // `(?i)` inside a group (JavaScript rejects it): case-insensitive from there on.
  assert.deepEqual(plainLines(await encryptWith('encrypted_regex', '^((?i)(PASSWORD|^data$))')), secretsOnly);
  // `\pL` is any letter and `\Q…\E` quotes literally (to JavaScript: the letters p, L, Q and E).
  assert.deepEqual(plainLines(await encryptWith('encrypted_regex', '^(\\pL+word|\\Qdata\\E)$')), secretsOnly);
});

test('path_regex with a POSIX class ([[:alnum:]]) selects its rule before a catch-all', () => {
  const config = {
    path: '/repo/.sops.yaml',
    text: `creation_rules:\n  - path_regex: ^prod/[[:alnum:]_-]+\\.yaml$\n    age: ${recipient}\n  - age: ${globalRecipient}\n`,
  };
  assert.deepEqual(creationRuleFor('/repo/prod/db.yaml', config).keyGroups, [[recipient]]);
  assert.deepEqual(creationRuleFor('/repo/prod/sub/db.yaml', config).keyGroups, [[globalRecipient]]);
  // Go's MatchString is unanchored: without ^ and $, a rule matches anywhere in the path.
  const unanchored = { path: '/repo/.sops.yaml', text: `creation_rules:\n  - path_regex: (?i)PROD\n    age: ${recipient}\n  - age: ${globalRecipient}\n` };
  assert.deepEqual(creationRuleFor('/repo/apps/prod-db.yaml', unanchored).keyGroups, [[recipient]]);
});

test('a rule Go cannot compile is a config error with Go\'s reason, for .sops.yaml and for a file\'s metadata', async () => {
  const config = { path: '/repo/.sops.yaml', text: `creation_rules:\n  - path_regex: (?=prod)\n    age: ${recipient}\n` };
  assert.throws(
    () => creationRuleFor('/repo/prod/db.yaml', config),
    (e: unknown) => e instanceof SopsError && e.kind === 'config' && e.message === 'invalid regular expression "(?=prod)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  );
  const encrypted = await encryptWith('encrypted_regex', '^data$');
  const tampered = encrypted.replace('encrypted_regex: ^data$', 'encrypted_regex: (a)\\1');
  assert.notEqual(tampered, encrypted);
  await assert.rejects(decrypt(tampered, identitiesFrom(keyFile, globalKeyFile)), /invalid escape sequence: `\\1`/);
});
