import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kstatus, NO_CONTROLLER_STATUS, summarize } from '../../../client/src/cluster/model/status';
import { tooltipMarkdown } from '../../../client/src/cluster/model/describe';
import type { KubeCondition, KubeObject } from '../../../client/src/cluster/connection/objects';

function obj(conditions: KubeCondition[], extra: { generation?: number; observed?: number; suspend?: boolean; deleting?: boolean; noStatus?: boolean } = {}): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', generation: extra.generation ?? 1, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
    spec: extra.suspend ? { suspend: true } : {},
    ...(extra.noStatus ? {} : { status: { observedGeneration: extra.observed ?? 1, conditions } }),
  };
}
const ready = (status: string, reason = 'ReconciliationSucceeded', message = 'Applied revision: main@sha1:abc'): KubeCondition => ({ type: 'Ready', status, reason, message });

test('Ready=True is current and ready', () => {
  const s = summarize(obj([ready('True')]));
  assert.equal(s.kstatus, 'Current');
  assert.equal(s.state, 'ready');
  assert.equal(s.message, 'Applied revision: main@sha1:abc');
});

test('deletionTimestamp wins over everything', () => {
  assert.equal(kstatus(obj([ready('True')], { deleting: true })), 'Terminating');
  assert.equal(summarize(obj([ready('True')], { deleting: true })).state, 'terminating');
});

test('a new generation not yet observed is in progress, shown as reconciling, not failed', () => {
  const o = obj([ready('False', 'BuildFailed', 'kustomize build failed')], { generation: 3, observed: 2 });
  assert.equal(kstatus(o), 'InProgress');
  assert.equal(summarize(o).state, 'reconciling');
});

test('Reconciling=True is in progress even while Ready=False', () => {
  const o = obj([ready('False', 'Progressing', 'fetching'), { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'building' }]);
  assert.equal(kstatus(o), 'InProgress');
  const s = summarize(o);
  assert.equal(s.state, 'reconciling');
  assert.equal(s.message, 'building');
});

test('Ready=Unknown is reconciling', () => {
  assert.equal(summarize(obj([ready('Unknown', 'Progressing', 'reconciliation in progress')])).state, 'reconciling');
});

test('a settled Ready=False is a failure with its reason', () => {
  const s = summarize(obj([ready('False', 'BuildFailed', 'decryption failed for default/secret')]));
  assert.equal(s.kstatus, 'InProgress');
  assert.equal(s.state, 'failed');
  assert.equal(s.reason, 'BuildFailed');
});

test('Stalled=True is kstatus Failed, shown as stalled', () => {
  const o = obj([ready('False', 'InvalidPath'), { type: 'Stalled', status: 'True', reason: 'InvalidPath', message: 'path not found' }]);
  assert.equal(kstatus(o), 'Failed');
  assert.equal(summarize(o).state, 'stalled');
  assert.equal(summarize(o).message, 'path not found');
});

test('Reconciling is checked before Stalled', () => {
  const o = obj([{ type: 'Reconciling', status: 'True' }, { type: 'Stalled', status: 'True' }]);
  assert.equal(kstatus(o), 'InProgress');
});

test('suspended objects show as suspended whatever their conditions', () => {
  assert.equal(summarize(obj([ready('True')], { suspend: true })).state, 'suspended');
  assert.equal(summarize(obj([ready('False')], { suspend: true })).state, 'suspended');
});

test('no status yet: unknown, except for kinds that never have a status', () => {
  assert.equal(kstatus(obj([], { noStatus: true })), 'Current');
  assert.equal(summarize(obj([], { noStatus: true })).state, 'unknown');
  assert.equal(summarize(obj([], { noStatus: true })).message, NO_CONTROLLER_STATUS);
  assert.equal(summarize(obj([], { noStatus: true }), true).state, 'ready');
});

test('only the CRD default status (observedGeneration -1, no conditions): unknown, not reconciling forever', () => {
  // What the API server returns for a HelmRelease that no helm-controller has ever seen.
  const o: KubeObject = { ...obj([], { noStatus: true }), kind: 'HelmRelease', status: { observedGeneration: -1 } };
  assert.equal(kstatus(o), 'InProgress', 'kstatus itself keeps its rules');
  const s = summarize(o);
  assert.equal(s.state, 'unknown');
  assert.equal(s.message, NO_CONTROLLER_STATUS);
  assert.match(tooltipMarkdown(o, s), /No controller has reported a status yet/);
  assert.equal(summarize(o, true).state, 'ready', 'a statusless kind with the default status exists, so is ready');
  assert.equal(summarize(obj([], { observed: -1, suspend: true })).state, 'suspended');
  assert.equal(summarize(obj([], { observed: -1, deleting: true })).state, 'terminating');
});

test('a status with a condition is never "no controller": the kstatus rules decide', () => {
  const o = obj([ready('Unknown', 'Progressing', 'reconciliation in progress')], { observed: -1 });
  assert.equal(summarize(o).state, 'reconciling');
  assert.doesNotMatch(tooltipMarkdown(o, summarize(o)), /No controller/);
});

test('Ready=False with Reconciling kept as ProgressingWithRetry is a failure waiting for its retry', () => {
  const o = obj([ready('False', 'BuildFailed', 'kustomize build failed'), { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', message: 'retrying' }]);
  assert.equal(kstatus(o), 'InProgress');
  const s = summarize(o);
  assert.equal(s.state, 'failed');
  assert.equal(s.message, 'kustomize build failed');
});

test('a new object that failed before its first success (observedGeneration -1) is failed, not reconciling', () => {
  const o = obj([{ type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry', observedGeneration: 1 }, { ...ready('False', 'ArtifactFailed', 'kustomization path not found'), observedGeneration: 1 }], { generation: 1, observed: -1 });
  assert.equal(kstatus(o), 'InProgress');
  assert.equal(summarize(o).state, 'failed');
  assert.equal(summarize(o).message, 'kustomization path not found');
});

test('waiting for a source artifact or a dependency is in progress, not failure', () => {
  const retry = { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' };
  for (const [reason, message] of [
    ['ArtifactFailed', 'Source artifact not found, retrying in 30s'],
    ['ArtifactFailed', "Source 'GitRepository/flux-system/fleet' not found"],
    ['DependencyNotReady', "dependency 'flux-system/infra' is not ready"],
  ] as const) {
    assert.equal(summarize(obj([ready('False', reason, message), retry])).state, 'reconciling', message);
  }
  assert.equal(summarize(obj([ready('False', 'ArtifactFailed', 'kustomization path not found: stat /tmp/x: no such file'), retry])).state, 'failed');
});
