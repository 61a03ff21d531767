import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imagePolicyStatuses } from '../../../client/src/cluster/model/imagePolicies';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';

const policy = (status: Record<string, unknown> | undefined): KubeObject => ({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'podinfo', namespace: 'flux-system' }, ...(status ? { status } : {}) });

test('latestRef as image-reflector-controller v1 reports it', () => {
  assert.deepEqual(imagePolicyStatuses([policy({ latestRef: { name: 'ghcr.io/stefanprodan/podinfo', tag: '6.5.1', digest: 'sha256:abc' } })]), [
    { namespace: 'flux-system', name: 'podinfo', latestRef: { image: 'ghcr.io/stefanprodan/podinfo', tag: '6.5.1', digest: 'sha256:abc' } },
  ]);
});

test('the older latestImage, including a registry port and a digest', () => {
  assert.deepEqual(imagePolicyStatuses([policy({ latestImage: 'localhost:5000/app:1.2.3' })])[0]!.latestRef, { image: 'localhost:5000/app', tag: '1.2.3' });
  assert.deepEqual(imagePolicyStatuses([policy({ latestImage: 'localhost:5000/app@sha256:def' })])[0]!.latestRef, { image: 'localhost:5000/app', digest: 'sha256:def' });
});

test('a policy without a result yet is sent without latestRef', () => {
  assert.deepEqual(imagePolicyStatuses([policy(undefined)]), [{ namespace: 'flux-system', name: 'podinfo' }]);
});
