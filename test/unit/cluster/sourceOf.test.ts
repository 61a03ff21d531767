import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sourceOf } from '../../../client/src/cluster/model/sourceOf';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';

const meta = { name: 'podinfo', namespace: 'apps' };

test('Kustomization: spec.sourceRef, namespace defaulting to the Kustomization', () => {
  const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: meta, spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' } } } as KubeObject;
  assert.deepEqual(sourceOf(ks), { group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', name: 'flux-system', namespace: 'apps' });
});

test('HelmRelease with chart.spec: the HelmChart <ns>-<name> in the chart source namespace', () => {
  const hr = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: meta,
    spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } },
  } as KubeObject;
  assert.deepEqual(sourceOf(hr), { group: 'source.toolkit.fluxcd.io', kind: 'HelmChart', namespace: 'flux-system', name: 'apps-podinfo' });
  assert.deepEqual(sourceOf({ ...hr, status: { helmChart: 'flux-system/custom' } }), { group: 'source.toolkit.fluxcd.io', kind: 'HelmChart', namespace: 'flux-system', name: 'custom' });
});

test('HelmRelease with chartRef', () => {
  const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: meta, spec: { chartRef: { kind: 'OCIRepository', name: 'podinfo' } } } as KubeObject;
  assert.deepEqual(sourceOf(hr), { group: 'source.toolkit.fluxcd.io', kind: 'OCIRepository', namespace: 'apps', name: 'podinfo' });
});

test('kinds without a source have none', () => {
  assert.equal(sourceOf({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: meta }), undefined);
});
