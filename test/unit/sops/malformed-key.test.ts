// A mistyped age secret key is still nearly the secret: errors name the problem, never the key,
// whether the engine, the CLI or the editor reports them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decrypt } from '../../../server/src/sops/stores/yaml';
import { SopsError } from '../../../server/src/sops/errors';
import { keyFile, vectors } from '../../sops/support';

test('a malformed age key fails with a SopsError that does not quote it', async () => {
  const encrypted = readFileSync(join(vectors, 'algorithms/age.yaml'), 'utf8');
  const real = readFileSync(keyFile, 'utf8').split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-1'))!;
  // One character changed (the checksum then fails), a character outside bech32, a truncated post-quantum key.
  const typo = real.slice(0, 20) + (real[20] === 'Q' ? 'P' : 'Q') + real.slice(21);
  for (const key of [typo, `${real.slice(0, -1)}b`, 'AGE-SECRET-KEY-PQ-1ABCDEFSECRET']) {
    await assert.rejects(decrypt(encrypted, { keys: [key], searched: [], unsupported: [] }), (e: unknown) => {
      assert.ok(e instanceof SopsError, String(e));
      assert.equal(e.kind, 'no-identity');
      assert.match(e.message, /malformed/);
      assert.ok(!e.message.includes(key.slice(16, 40)), e.message);
      return true;
    });
  }
});
