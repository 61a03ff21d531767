import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcilePatch, rfc3339Nano, suspendPatch } from '../../../client/src/cluster/model/patches';

test('RFC3339Nano as Go prints it: UTC, trailing zeros of the fraction dropped', () => {
  assert.equal(rfc3339Nano(Date.UTC(2026, 10, 21, 23, 56, 16, 123)), '2026-11-21T23:56:16.123Z');
  assert.equal(rfc3339Nano(Date.UTC(2026, 10, 21, 23, 56, 16, 120)), '2026-11-21T23:56:16.12Z');
  assert.equal(rfc3339Nano(Date.UTC(2026, 10, 21, 23, 56, 16, 0)), '2026-11-21T23:56:16Z');
});

test('reconcile sets only requestedAt', () => {
  assert.deepEqual(reconcilePatch('T'), { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'T' } } });
});

test('force and reset add their annotation with the same value', () => {
  assert.deepEqual(reconcilePatch('T', 'force'), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'T', 'reconcile.fluxcd.io/forceAt': 'T' } },
  });
  assert.deepEqual(reconcilePatch('T', 'reset'), {
    metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 'T', 'reconcile.fluxcd.io/resetAt': 'T' } },
  });
});

test('suspend and resume patch spec.suspend', () => {
  assert.equal(JSON.stringify(suspendPatch(true)), '{"spec":{"suspend":true}}');
  assert.equal(JSON.stringify(suspendPatch(false)), '{"spec":{"suspend":false}}');
});
