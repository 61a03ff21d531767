import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Decrypter } from 'age-encryption';
import { KubeConfig } from '@kubernetes/client-node';

test('ESM-only runtime dependencies load under the test runner', () => {
  assert.equal(typeof new Decrypter().decrypt, 'function');
  assert.equal(typeof new KubeConfig().loadFromString, 'function');
});
