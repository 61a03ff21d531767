// Recovering the data key as sops does: a damaged age entry fails only itself, every entry of a
// key group is tried, Shamir shares are collected from every group, and when nothing opens the
// error lists each recipient tried and why, without key material.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { decrypt, encrypt } from '../../../server/src/sops/stores/yaml';
import { SopsError } from '../../../server/src/sops/errors';
import { DEFAULT_RULE } from '../../../server/src/sops/metadata';
import { replaceEnc, STANZA_DAMAGES } from '../../sops/stanzas';
import { globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient } from '../../sops/support';

const PLAIN = 'kind: Secret\nstringData:\n  token: s3cr3t-MARKER\n';

test('a damaged first age entry does not stop the second recipient from decrypting', async () => {
  const encrypted = await encrypt(PLAIN, { keyGroups: [[recipient, globalRecipient]], rule: DEFAULT_RULE }, memoryIo());
  for (const [damage, spoil] of Object.entries(STANZA_DAMAGES)) {
    const spoiled = replaceEnc(encrypted, 0, spoil);
    assert.notEqual(spoiled, encrypted, damage);
    // Only the second recipient's key is at hand, and then both.
    assert.equal((await decrypt(spoiled, identitiesFrom(globalKeyFile))).plaintext, PLAIN, damage);
    assert.equal((await decrypt(spoiled, identitiesFrom(keyFile, globalKeyFile))).plaintext, PLAIN, damage);
  }
});

test('Shamir key groups: shares are collected from every group, each trying each of its entries', async () => {
  // Groups: [recipient], [globalRecipient], [recipient, globalRecipient]; any two shares recover the key.
  const groups = [[recipient], [globalRecipient], [recipient, globalRecipient]];
  const encrypted = await encrypt(PLAIN, { keyGroups: groups, shamirThreshold: 2, rule: DEFAULT_RULE }, memoryIo());
  // Entries in file order: 0 = group 0, 1 = group 1, 2 and 3 = group 2.
  const damaged = replaceEnc(replaceEnc(encrypted, 0, STANZA_DAMAGES.junk), 2, STANZA_DAMAGES.junk);
  // Group 0 damaged, group 1 opens, group 2 opens through its second entry.
  assert.equal((await decrypt(damaged, identitiesFrom(keyFile, globalKeyFile))).plaintext, PLAIN);
  // With the global key only: group 0 has no match, group 2's first entry is damaged, its second opens.
  assert.equal((await decrypt(damaged, identitiesFrom(globalKeyFile))).plaintext, PLAIN);
  // Group 1 damaged too: one share, under the threshold.
  const tooFew = replaceEnc(damaged, 1, STANZA_DAMAGES.truncated);
  await assert.rejects(decrypt(tooFew, identitiesFrom(keyFile, globalKeyFile)), (e: unknown) => {
    assert.ok(e instanceof SopsError && e.kind === 'no-identity', String(e));
    assert.match(e.message, /Group 0: FAILED\n {2}age1l44x\S+: FAILED\n {4}- \| invalid age armor: line 2: illegal character "!"/);
    assert.match(e.message, /Group 1: FAILED\n {2}age1henw\S+: FAILED\n {4}- \| invalid age armor: /);
    assert.match(e.message, /Group 2: SUCCESS/);
    assert.match(e.message, /Shamir threshold of 2, but only 1 part\(s\) were successfully recovered/);
    return true;
  });
});

test('when no entry opens, each recipient tried is listed with its reason and no key material', async () => {
  const encrypted = await encrypt(PLAIN, { keyGroups: [[recipient, globalRecipient]], rule: DEFAULT_RULE }, memoryIo());
  const spoiled = replaceEnc(encrypted, 0, STANZA_DAMAGES.flipped);
  const keys = [keyFile, globalKeyFile].flatMap((f) => readFileSync(f, 'utf8').split('\n').filter((l) => l.startsWith('AGE-SECRET-KEY-')));
  await assert.rejects(decrypt(spoiled, identitiesFrom(keyFile)), (e: unknown) => {
    assert.ok(e instanceof SopsError && e.kind === 'no-identity' && e.exitCode === 128, String(e));
    // Not "no identity matched" alone: one entry was damaged, which a wrong key does not explain.
    assert.match(e.message, /^Failed to get the data key required to decrypt the SOPS file\.\n/);
    assert.match(e.message, new RegExp(`${recipient}: FAILED\\n {4}- \\| failed to decrypt sops data key with age: `));
    assert.match(e.message, new RegExp(`${globalRecipient}: FAILED\\n {4}- \\| no identity matched any of the recipients`));
    for (const key of keys) assert.ok(!e.message.includes(key.slice(15, 40)), 'the message quotes a secret key');
    assert.doesNotMatch(e.message, /MARKER/);
    return true;
  });
});
