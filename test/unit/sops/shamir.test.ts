import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { combine, split } from '../../../server/src/sops/shamir';

test('any threshold-sized subset of shares recovers the secret', () => {
  const secret = randomBytes(32);
  const shares = split(secret, 5, 3);
  assert.equal(shares.length, 5);
  for (const share of shares) assert.equal(share.length, 33);
  for (const subset of [[0, 1, 2], [1, 3, 4], [0, 2, 4], [0, 1, 2, 3, 4]]) {
    assert.deepEqual(Buffer.from(combine(subset.map((i) => shares[i] as Uint8Array))), secret);
  }
});

test('fewer shares than the threshold do not recover the secret', () => {
  const secret = randomBytes(32);
  const shares = split(secret, 3, 3);
  assert.notDeepEqual(Buffer.from(combine([shares[0] as Uint8Array, shares[1] as Uint8Array])), secret);
});

test('a known GF(2^8) 0x11B share set combines to its secret', () => {
  // f(x) = 0x53 + 0xCA·x over GF(2^8)/0x11B: 0x53·0xCA = 0x01 (AES inverse pair), so f(1) = 0x99, f(2) = 0x53 ^ 0x8F.
  const mul2 = (0xca << 1) ^ 0x11b;
  const shares = [Uint8Array.of(0x53 ^ 0xca, 1), Uint8Array.of(0x53 ^ mul2, 2)];
  assert.deepEqual([...combine(shares)], [0x53]);
});
