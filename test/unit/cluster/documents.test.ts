import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { declaredObjects } from '../../../client/src/cluster/model/documentObjects';
import { eventsFor, formatEvents } from '../../../client/src/cluster/model/events';
import { liveYaml } from '../../../client/src/cluster/model/liveYaml';
import { appliedPath, appliesFile } from '../../../client/src/cluster/model/commitLive';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';
import { FakeApi } from './fakeApi';

test('declared objects with the line each document starts on; non-objects skipped', () => {
  const text = [
    '# comment',
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: podinfo',
    '  namespace: flux-system',
    '---',
    '- a list',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata: {name: apps}',
    '---',
    'kind: [broken',
  ].join('\n');
  assert.deepEqual(declaredObjects(text), [
    { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', name: 'podinfo', namespace: 'flux-system', line: 1 },
    { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', name: 'apps', namespace: undefined, line: 9 },
  ]);
});

test('live YAML masks every Secret value, including the last-applied annotation, and drops managedFields', () => {
  const secret = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's', namespace: 'n', managedFields: [{ manager: 'kubectl' }], annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"password":"aHVudGVyMg=="}}', keep: 'me' } },
    data: { password: 'aHVudGVyMg==', 'age.agekey': 'QUdFLVNFQ1JFVC1LRVkt' },
    stringData: { token: 'plain' },
  } as unknown as KubeObject;
  const text = liveYaml(secret);
  assert.doesNotMatch(text, /aHVudGVyMg|QUdFLVNFQ1JFVC1LRVkt|plain|managedFields/);
  const shown = parse(text);
  assert.deepEqual(Object.keys(shown.data), ['password', 'age.agekey']);
  assert.equal(shown.metadata.annotations.keep, 'me');
  const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'a' }, spec: { data: 'visible' } } as KubeObject;
  assert.match(liveYaml(ks), /data: visible/);
});

test('events: field selector on the involved object, sorted oldest first, formatted', async () => {
  const api = new FakeApi(() => ({
    items: [
      { type: 'Warning', reason: 'BuildFailed', message: 'kustomize build failed:\nmissing file', count: 3, lastTimestamp: '2026-11-21T23:59:00Z', source: { component: 'kustomize-controller' } },
      { type: 'Normal', reason: 'Progressing', message: 'applied', lastTimestamp: '2026-11-21T23:50:00Z', reportingComponent: 'kustomize-controller' },
    ],
  }));
  const events = await eventsFor(api, 'Kustomization', 'flux-system', 'apps');
  assert.equal(api.requests[0]!.path, `/api/v1/namespaces/flux-system/events?fieldSelector=${encodeURIComponent('involvedObject.kind=Kustomization,involvedObject.name=apps')}`);
  const text = formatEvents('Events of apps', events, Date.parse('2026-11-22T00:00:00Z'));
  assert.equal(
    text,
    '# Events of apps\n\n 10m ago  Normal  Progressing  [kustomize-controller]\n      applied\n 60s ago  Warning BuildFailed (x3)  [kustomize-controller]\n      kustomize build failed:\n      missing file\n',
  );
  assert.match(formatEvents('none', [], 0), /no events/);
});

test('the files a Kustomization applies', () => {
  const ks = (path?: string) => ({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'a' }, spec: path === undefined ? {} : { path } }) as KubeObject;
  assert.equal(appliedPath(ks('./apps/prod/')), 'apps/prod');
  assert.equal(appliedPath(ks('./')), '');
  assert.equal(appliedPath(ks()), '');
  assert.equal(appliesFile(ks('./apps'), 'apps/podinfo/release.yaml'), true);
  assert.equal(appliesFile(ks('./apps'), 'apps2/x.yaml'), false);
  assert.equal(appliesFile(ks('./'), 'anything.yaml'), true);
});
