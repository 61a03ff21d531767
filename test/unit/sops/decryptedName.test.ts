// The decrypted editor's name and status: "(decrypted)" in the name, the extension kept last (VS Code
// picks the language from the name's end), and the way back to the encrypted file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decryptedName, decryptedPath, decryptedStatus, originalFilePath, originalName } from '../../../client/src/sops/decryptedName';

test('the decrypted name says so and keeps the extension last', () => {
  assert.equal(decryptedName('podinfo-credentials.yaml'), 'podinfo-credentials (decrypted).yaml');
  assert.equal(decryptedName('secret.enc.json'), 'secret.enc (decrypted).json');
  assert.equal(decryptedName('app.env'), 'app (decrypted).env');
  // VS Code 1.100 maps `.env` by its name and `.*.env` by pattern to properties; newer ones map the extension to dotenv.
  assert.equal(decryptedName('.env'), '.(decrypted).env');
  assert.equal(decryptedName('Makefile'), 'Makefile (decrypted)');
  for (const name of ['a.yaml', 'a.yml', 'a.json', 'a.env', '.env', 'b.ini']) {
    const extension = name.slice(name.lastIndexOf('.'));
    assert.ok(decryptedName(name).endsWith(extension), `${name}: language detection needs ${extension} last`);
    if (name.startsWith('.')) assert.ok(decryptedName(name).startsWith('.'), `${name}: dotfile patterns need the leading dot`);
    assert.match(decryptedName(name), /\(decrypted\)/);
  }
});

test('every decrypted name leads back to its file, even names that already hold "(decrypted)"', () => {
  const names = ['podinfo-credentials.yaml', 'secret.enc.json', 'app.env', '.env', 'Makefile', 'my file.yaml', 'x (decrypted).yaml', '(decrypted).env', '.(decrypted).env', 'x.tar (decrypted)', 'a.b.c'];
  for (const name of names) assert.equal(originalName(decryptedName(name)), name, name);
  assert.equal(originalName('plain.yaml'), 'plain.yaml', 'a name decryptedName did not make is kept');
  assert.equal(decryptedPath('/repo/apps/secret.yaml'), '/repo/apps/secret (decrypted).yaml');
  assert.equal(originalFilePath('/repo/apps/secret (decrypted).yaml'), '/repo/apps/secret.yaml');
  assert.equal(originalFilePath(decryptedPath('/c:/repo/.env')), '/c:/repo/.env');
});

test('the status item says the plaintext is in memory only, and where a save goes', () => {
  const edit = decryptedStatus('edit', '/repo/apps/secret.yaml');
  assert.equal(edit.text, '$(unlock) SOPS: decrypted in memory');
  assert.match(edit.tooltip, /secret\.yaml is shown decrypted; the plaintext is kept in memory only \(saving re-encrypts into \/repo\/apps\/secret\.yaml\)/);
  assert.match(decryptedStatus('view', '/repo/apps/secret.yaml').tooltip, /\(read-only\)/);
});
