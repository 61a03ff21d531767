import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeCondition, KubeObject, ObservedObject } from '../../../client/src/cluster/connection/objects';
import { generationObserved, handledSince, settledOutcome, waitForOutcome } from '../../../client/src/cluster/model/wait';
import { FakeClock } from './fakeClock';

function ks(handled: string | undefined, conditions: KubeCondition[], generation = 1, observed = 1): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'apps', namespace: 'flux-system', generation },
    status: { observedGeneration: observed, conditions, ...(handled ? { lastHandledReconcileAt: handled } : {}) },
  };
}
const READY: KubeCondition = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:b' };
const PROGRESSING: KubeCondition = { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'building' };

class Sequence implements ObservedObject {
  private listener: ((o: KubeObject | undefined) => void) | undefined;
  unsubscribed = false;
  constructor(public obj: KubeObject | undefined) {}
  current() {
    return this.obj;
  }
  onChange(listener: (o: KubeObject | undefined) => void) {
    this.listener = listener;
    return () => {
      this.unsubscribed = true;
    };
  }
  push(obj: KubeObject | undefined) {
    this.obj = obj;
    this.listener?.(obj);
  }
}

test('waits for a new lastHandledReconcileAt, then for Ready', async () => {
  const clock = new FakeClock();
  const seq = new Sequence(ks('T0', [READY]));
  const outcome = waitForOutcome(seq, handledSince('T0'), clock, 60_000);
  seq.push(ks('T0', [READY])); // an unrelated update: the old Ready must not count
  seq.push(ks('T1', [PROGRESSING, { ...READY, status: 'Unknown' }]));
  seq.push(ks('T1', [READY]));
  assert.deepEqual(await outcome, { result: 'ready', message: 'Applied revision: main@sha1:b' });
  assert.equal(seq.unsubscribed, true);
  assert.equal(clock.pending, 0);
});

test('a settled Ready=False after the request is reported as failure with its message', async () => {
  const seq = new Sequence(ks(undefined, []));
  const outcome = waitForOutcome(seq, handledSince(undefined), new FakeClock(), 60_000);
  seq.push(ks('T1', [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed' }]));
  assert.deepEqual(await outcome, { result: 'failed', message: 'kustomize build failed' });
});

test('times out by the injected clock, saying which phase was not reached', async () => {
  const clock = new FakeClock();
  const seq = new Sequence(ks('T0', [READY]));
  const outcome = waitForOutcome(seq, handledSince('T0'), clock, 5000);
  clock.advance(4999);
  seq.push(ks('T0', [READY]));
  clock.advance(1);
  const result = await outcome;
  assert.equal(result.result, 'timeout');
  assert.match(result.message, /did not handle/);
});

test('cancel ends the wait', async () => {
  let cancel: () => void = () => undefined;
  const seq = new Sequence(ks('T0', [READY]));
  const outcome = waitForOutcome(seq, handledSince('T0'), new FakeClock(), 5000, { cancelled: false, onCancel: (l) => (cancel = l) });
  cancel();
  assert.equal((await outcome).result, 'cancelled');
});

test('deletion ends the wait', async () => {
  const seq = new Sequence(ks('T0', [READY]));
  const outcome = waitForOutcome(seq, handledSince('T0'), new FakeClock(), 5000);
  seq.push(undefined);
  assert.equal((await outcome).result, 'deleted');
});

test('resume waits for the new generation to be observed', async () => {
  const seq = new Sequence(ks('T0', [{ ...READY, observedGeneration: 1 }], 2, 1));
  const outcome = waitForOutcome(seq, generationObserved(2), new FakeClock(), 5000);
  seq.push(ks('T0', [{ ...READY, observedGeneration: 2 }], 2, 2));
  assert.equal((await outcome).result, 'ready');
});

test('settledOutcome: stalled fails, reconciling and unknown are not settled', () => {
  assert.equal(settledOutcome(ks('T', [PROGRESSING, READY])), undefined);
  assert.equal(settledOutcome(ks('T', [{ ...READY, status: 'Unknown' }])), undefined);
  assert.equal(settledOutcome(ks('T', [READY], 2, 1)), undefined);
  assert.deepEqual(settledOutcome(ks('T', [{ type: 'Stalled', status: 'True', message: 'invalid path' }])), { result: 'failed', message: 'invalid path' });
});

test('Ready already on the new generation while status.observedGeneration lags is not settled yet', () => {
  const partial = ks('T1', [{ ...READY, observedGeneration: 3 }], 3, 2);
  assert.equal(settledOutcome(partial), undefined);
  assert.equal(generationObserved(3)(partial), false);
  assert.equal(generationObserved(3)(ks('T1', [{ ...READY, observedGeneration: 3 }], 3, 3)), true);
});

test('a failure kept for retry (Reconciling ProgressingWithRetry) settles as failed', () => {
  const failing = ks('T1', [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'missing.yaml' }, { type: 'Reconciling', status: 'True', reason: 'ProgressingWithRetry' }]);
  assert.deepEqual(settledOutcome(failing), { result: 'failed', message: 'missing.yaml' });
});

test('a first attempt that fails (observedGeneration -1) settles as failed', () => {
  const first = ks('T1', [{ type: 'Ready', status: 'False', reason: 'ArtifactFailed', message: 'path not found', observedGeneration: 1 }], 1, -1);
  assert.deepEqual(settledOutcome(first), { result: 'failed', message: 'path not found' });
});

test('a cached copy older than the PATCH, carrying an earlier request, does not count as handled', () => {
  const ours = '2026-11-22T01:58:00.123456789Z';
  const handled = handledSince('2026-11-22T01:57:00Z', ours);
  assert.equal(handled(ks('2026-11-22T01:50:00Z', [READY])), false, 'an earlier request seen in a stale cache');
  assert.equal(handled(ks('2026-11-22T01:57:00Z', [READY])), false, 'the value before our PATCH');
  assert.equal(handled(ks(undefined, [READY])), false);
  assert.equal(handled(ks(ours, [READY])), true, 'our own request');
  assert.equal(handled(ks('2026-11-22T01:59:00Z', [READY])), true, 'a later request covers ours');
  assert.equal(handled(ks('now', [READY])), true, 'a value that is no timestamp cannot be ordered');
});
