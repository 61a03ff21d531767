import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoDuration, practiceFindings } from '../../../server/src/flux/practices';

const hints = (kind: string, spec: unknown, extra: { appliesCrds?: boolean; enabled?: Record<string, boolean> } = {}) =>
  practiceFindings({ kind, value: { spec }, ...extra }).map((f) => f.hint);

test('Go durations', () => {
  assert.equal(parseGoDuration('30s'), 30e9);
  assert.equal(parseGoDuration('1m30s'), 90e9);
  assert.equal(parseGoDuration('1.5h'), 5400e9);
  assert.equal(parseGoDuration('500ms'), 0.5e9);
  assert.equal(parseGoDuration('0'), 0);
  assert.equal(parseGoDuration('10'), undefined);
  assert.equal(parseGoDuration('1d'), undefined);
  assert.equal(parseGoDuration(''), undefined);
});

test('Kustomization timeouts', () => {
  assert.deepEqual(hints('Kustomization', { interval: '10m' }), ['kustomization-timeouts']);
  assert.match(practiceFindings({ kind: 'Kustomization', value: { spec: { timeout: '5m' } } })[0]!.message, /spec\.retryInterval/);
  assert.deepEqual(hints('Kustomization', { timeout: '5m', retryInterval: '1m' }), []);
});

test('prune on a CRD folder', () => {
  const spec = { timeout: '5m', retryInterval: '1m', prune: true };
  assert.deepEqual(hints('Kustomization', spec, { appliesCrds: true }), ['prune-crds']);
  assert.deepEqual(hints('Kustomization', spec, { appliesCrds: false }), []);
  assert.deepEqual(hints('Kustomization', { ...spec, prune: false }, { appliesCrds: true }), []);
});

test('HelmRelease failure handling: remediation or strategy', () => {
  assert.deepEqual(hints('HelmRelease', { chart: {} }), ['helm-remediation']);
  assert.deepEqual(hints('HelmRelease', { install: { remediation: { retries: 3 } } }), ['helm-remediation']);
  assert.deepEqual(hints('HelmRelease', { install: { remediation: { retries: 3 } }, upgrade: { remediation: { retries: 3 } } }), []);
  assert.deepEqual(hints('HelmRelease', { install: { strategy: { name: 'RetryOnFailure' } }, upgrade: { strategy: { name: 'RetryOnFailure' } } }), []);
});

test('source intervals under a minute', () => {
  assert.deepEqual(hints('GitRepository', { interval: '30s' }), ['source-interval']);
  assert.deepEqual(hints('ImageRepository', { interval: '59s' }), ['source-interval']);
  assert.deepEqual(hints('HelmRepository', { interval: '1m' }), []);
  assert.deepEqual(hints('GitRepository', { interval: '${interval}' }), []);
  assert.deepEqual(hints('Kustomization', { interval: '30s', timeout: '1m', retryInterval: '1m' }), []);
});

test('each hint can be switched off', () => {
  assert.deepEqual(hints('GitRepository', { interval: '30s' }, { enabled: { 'source-interval': false } }), []);
  assert.deepEqual(hints('HelmRelease', {}, { enabled: { 'source-interval': false } }), ['helm-remediation']);
});

test('non-objects give nothing', () => {
  assert.deepEqual(practiceFindings({ kind: 'Kustomization', value: null }), []);
  assert.deepEqual(practiceFindings({ kind: 'Kustomization', value: { spec: [] } }), []);
});
