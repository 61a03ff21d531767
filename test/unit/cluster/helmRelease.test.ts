import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { decodeHelmStorage, historyOf, storageSecretName } from '../../../client/src/cluster/model/helmRelease';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';

const MANIFEST = `---
# Source: podinfo/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: podinfo
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: other
---
# an empty document from a disabled template
`;

/** What Helm writes: gzip, then base64; the API then returns the Secret entry base64-encoded again. */
function asApiReturnsIt(release: object, gzip = true): string {
  const json = Buffer.from(JSON.stringify(release));
  const helm = (gzip ? gzipSync(json) : json).toString('base64');
  return Buffer.from(helm).toString('base64');
}

test('storage Secret name follows Helm v3', () => {
  assert.equal(storageSecretName('podinfo', 3), 'sh.helm.release.v1.podinfo.v3');
});

test('decodes a gzipped release: chart, status and manifest objects with the release namespace as default', () => {
  const data = asApiReturnsIt({
    name: 'podinfo',
    version: 3,
    namespace: 'apps',
    info: { status: 'deployed' },
    chart: { metadata: { name: 'podinfo', version: '6.5.0' } },
    manifest: MANIFEST,
  });
  const decoded = decodeHelmStorage(data);
  assert.equal(decoded.name, 'podinfo');
  assert.equal(decoded.version, 3);
  assert.equal(decoded.status, 'deployed');
  assert.equal(decoded.chart, 'podinfo@6.5.0');
  assert.deepEqual(decoded.objects, [
    { apiVersion: 'v1', kind: 'Service', name: 'podinfo', namespace: 'apps' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo', namespace: 'other' },
  ]);
});

test('an uncompressed release (old Helm) decodes too', () => {
  const decoded = decodeHelmStorage(asApiReturnsIt({ name: 'x', version: 1, manifest: '' }, false));
  assert.equal(decoded.name, 'x');
  assert.deepEqual(decoded.objects, []);
});

test('garbage is an error, not a crash of the caller', () => {
  assert.throws(() => decodeHelmStorage(Buffer.from('not base64 json').toString('base64')));
});

test('history comes from status.history snapshots', () => {
  const hr = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name: 'podinfo', namespace: 'apps' },
    status: {
      history: [
        { version: 2, name: 'podinfo', namespace: 'apps', chartName: 'podinfo', chartVersion: '6.5.1', appVersion: '6.5.1', status: 'deployed', lastDeployed: '2026-01-02T00:00:00Z' },
        { version: 1, chartName: 'podinfo', chartVersion: '6.5.0', status: 'superseded' },
        { chartName: 'no version' },
      ],
    },
  } as KubeObject;
  const history = historyOf(hr);
  assert.deepEqual(history.map((h) => `${h.version} ${h.chartVersion} ${h.status}`), ['2 6.5.1 deployed', '1 6.5.0 superseded']);
  assert.deepEqual(historyOf({ ...hr, status: {} }), []);
});
