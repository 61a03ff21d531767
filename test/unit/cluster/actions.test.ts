import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile, resume, suspend } from '../../../client/src/cluster/model/actions';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';
import { FakeClock } from './fakeClock';
import { settle } from './fakeApi';
import { flux, sessionWith } from './sessionFixture';

const READY = { type: 'Ready', status: 'True', reason: 'Succeeded', message: 'stored artifact' };
const chart = flux('HelmChart', 'source.toolkit.fluxcd.io/v1', 'flux-system', 'apps-podinfo', { status: { observedGeneration: 1, conditions: [READY], lastHandledReconcileAt: 'T0' } });
const release = flux('HelmRelease', 'helm.toolkit.fluxcd.io/v2', 'apps', 'podinfo', {
  spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } },
  status: { observedGeneration: 1, conditions: [{ ...READY, message: 'Helm upgrade succeeded' }], lastHandledReconcileAt: 'T0' },
});

function handled(obj: KubeObject, at: string, message: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: at }, status: { ...obj.status, lastHandledReconcileAt: at, conditions: [{ ...READY, message }] } };
}

test('force with source: HelmChart first, then the HelmRelease, each a merge patch and a wait on the watch', async () => {
  const { session, api } = await sessionWith([chart, release]);
  const clock = new FakeClock();
  const respond = api.respond;
  api.respond = (method, path, options) => {
    if (method !== 'PATCH') return respond(method, path, options);
    const target = path.includes('helmcharts') ? chart : release;
    // The controller handles the request after the PATCH returns: deliver that on the watch.
    setImmediate(() => {
      const watch = api.watches.find((w) => w.path.includes(path.includes('helmcharts') ? 'helmcharts' : 'helmreleases'))!;
      watch.send('MODIFIED', handled(target, 'T1', path.includes('helmcharts') ? 'pulled podinfo@6.5.1' : 'Helm upgrade succeeded for podinfo 6.5.1'));
    });
    return target;
  };
  const outcome = await reconcile(session, session.get('HelmRelease', 'apps', 'podinfo')!, 'force', true, { clock, timeoutMs: 60_000 });
  assert.deepEqual(outcome, { result: 'ready', message: 'Helm upgrade succeeded for podinfo 6.5.1' });
  const patches = api.requests.filter((r) => r.method === 'PATCH');
  assert.deepEqual(patches.map((p) => p.path), [
    '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/helmcharts/apps-podinfo',
    '/apis/helm.toolkit.fluxcd.io/v2/namespaces/apps/helmreleases/podinfo',
  ]);
  for (const p of patches) assert.equal(p.options?.contentType, 'application/merge-patch+json');
  const at = '2026-11-22T00:00:00Z';
  assert.deepEqual(patches[0]!.options?.body, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at } } });
  assert.deepEqual(patches[1]!.options?.body, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at, 'reconcile.fluxcd.io/forceAt': at } } });
  session.stop();
});

test('a source that fails stops the chain with the source named', async () => {
  const { session, api } = await sessionWith([chart, release]);
  const respond = api.respond;
  api.respond = (method, path, options) => {
    if (method !== 'PATCH') return respond(method, path, options);
    setImmediate(() => {
      const failed = { ...chart, status: { ...chart.status, lastHandledReconcileAt: 'T1', conditions: [{ type: 'Ready', status: 'False', reason: 'ChartPullFailed', message: 'chart not found' }] } };
      api.watches.find((w) => w.path.includes('helmcharts'))!.send('MODIFIED', failed);
    });
    return chart;
  };
  const outcome = await reconcile(session, session.get('HelmRelease', 'apps', 'podinfo')!, 'plain', true, { clock: new FakeClock(), timeoutMs: 60_000 });
  assert.deepEqual(outcome, { result: 'failed', message: 'source HelmChart flux-system/apps-podinfo: chart not found' });
  assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 1);
  session.stop();
});

test('suspend patches spec.suspend; resume waits for the new generation to be observed', async () => {
  const { session, api } = await sessionWith([release]);
  const respond = api.respond;
  api.respond = (method, path, options) => {
    if (method !== 'PATCH') return respond(method, path, options);
    const body = options?.body as { spec: { suspend: boolean } };
    const patched = { ...release, metadata: { ...release.metadata, generation: 2 }, spec: { ...release.spec, suspend: body.spec.suspend } };
    if (!body.spec.suspend) {
      setImmediate(() => {
        const w = api.watches.find((x) => x.path.includes('helmreleases'))!;
        w.send('MODIFIED', patched); // generation 2 not observed yet: keep waiting
        setImmediate(() => w.send('MODIFIED', { ...patched, status: { ...release.status, observedGeneration: 2, conditions: [{ ...READY, message: 'resumed', observedGeneration: 2 }] } }));
      });
    }
    return patched;
  };
  const hr = session.get('HelmRelease', 'apps', 'podinfo')!;
  assert.equal((await suspend(session, hr)).result, 'ready');
  assert.deepEqual(api.requests.at(-1)?.options?.body, { spec: { suspend: true } });
  const outcome = await resume(session, hr, { clock: new FakeClock(), timeoutMs: 60_000 });
  assert.deepEqual(outcome, { result: 'ready', message: 'resumed' });
  assert.deepEqual(api.requests.filter((r) => r.method === 'PATCH').at(-1)?.options?.body, { spec: { suspend: false } });
  await settle();
  session.stop();
});

test('a suspended object is not reconciled', async () => {
  const suspended = { ...release, spec: { ...release.spec, suspend: true } };
  const { session, api } = await sessionWith([suspended]);
  const outcome = await reconcile(session, session.get('HelmRelease', 'apps', 'podinfo')!, 'plain', false, { clock: new FakeClock(), timeoutMs: 1000 });
  assert.equal(outcome.result, 'failed');
  assert.match(outcome.message, /suspended/);
  assert.equal(api.requests.filter((r) => r.method === 'PATCH').length, 0);
  session.stop();
});

test('with source, a Kustomization outcome counts only once it attempted the source\'s new revision', async () => {
  const oldRevision = 'main@sha1:1111111111111111111111111111111111111111';
  const newRevision = 'main@sha1:2222222222222222222222222222222222222222';
  const repo = flux('GitRepository', 'source.toolkit.fluxcd.io/v1', 'flux-system', 'fleet', {
    status: { observedGeneration: 1, conditions: [READY], artifact: { revision: oldRevision } },
  });
  const ks = flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'apps', {
    spec: { sourceRef: { kind: 'GitRepository', name: 'fleet' } },
    status: { observedGeneration: 1, conditions: [{ ...READY, message: `Applied revision: ${oldRevision}` }], lastAttemptedRevision: oldRevision },
  });
  const { session, api } = await sessionWith([repo, ks]);
  const respond = api.respond;
  api.respond = (method, path, options) => {
    if (method !== 'PATCH') return respond(method, path, options);
    const at = (options?.body as { metadata: { annotations: Record<string, string> } }).metadata.annotations['reconcile.fluxcd.io/requestedAt'];
    const send = (plural: string, obj: KubeObject) => api.watches.find((w) => w.path.includes(plural))!.send('MODIFIED', obj);
    if (path.includes('gitrepositories')) {
      setImmediate(() => send('gitrepositories', { ...repo, status: { ...repo.status, lastHandledReconcileAt: at, artifact: { revision: newRevision } } }));
      return repo;
    }
    // The controller handles our request with its cached (old) artifact first, then the new one.
    const applied = (revision: string): KubeObject => ({
      ...ks,
      status: { ...ks.status, lastHandledReconcileAt: at, lastAttemptedRevision: revision, conditions: [{ ...READY, message: `Applied revision: ${revision}` }] },
    });
    setImmediate(() => {
      send('kustomizations', applied(oldRevision));
      setImmediate(() => send('kustomizations', applied(newRevision)));
    });
    return ks;
  };
  const outcome = await reconcile(session, session.get('Kustomization', 'flux-system', 'apps')!, 'plain', true, { clock: new FakeClock(), timeoutMs: 60_000 });
  assert.deepEqual(outcome, { result: 'ready', message: `Applied revision: ${newRevision}` });
  session.stop();
});
