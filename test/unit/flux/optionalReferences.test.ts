// valuesFrom / substituteFrom entries marked `optional: true` are skipped by Flux when missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fluxCodes, fluxWorkspace } from './workspace';

const RELEASE = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: podinfo
      sourceRef:
        kind: HelmRepository
        name: podinfo
  valuesFrom:
    - kind: ConfigMap
      name: optional-values
      optional: true
    - kind: ConfigMap
      name: required-values
    - kind: ConfigMap
      name: not-really-optional
      optional: "true"
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 1h
  url: https://stefanprodan.github.io/podinfo
`;

test('a missing optional valuesFrom entry gets no warning; required ones and non-boolean optional do', async () => {
  const ws = await fluxWorkspace({ 'apps/release.yaml': RELEASE });
  const missing = ws.diagnostics('apps/release.yaml').filter((d) => d.code === 'flux-reference-missing');
  assert.deepEqual(fluxCodes(missing), ['19:flux-reference-missing', '21:flux-reference-missing']);
  assert.deepEqual(missing.map((d) => d.message), [
    'ConfigMap apps/required-values is not in the workspace',
    'ConfigMap apps/not-really-optional is not in the workspace',
  ]);
});
