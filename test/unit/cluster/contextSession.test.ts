import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContextSession } from '../../../client/src/cluster/connection/contextSession';
import { KubeError } from '../../../client/src/cluster/connection/transport';
import { FakeApi, settle } from './fakeApi';
import { FakeClock } from './fakeClock';

const BACKOFF = { initialMs: 1000, maxMs: 8000, random: () => 0 };

/** Discovery of a cluster serving Kustomizations (v1) and GitRepositories (v1), plus the lists given. */
function discovery(path: string): unknown {
  if (path === '/apis') {
    return {
      groups: [
        { name: 'apps', preferredVersion: { version: 'v1' } },
        { name: 'kustomize.toolkit.fluxcd.io', preferredVersion: { version: 'v1' } },
        { name: 'source.toolkit.fluxcd.io', preferredVersion: { version: 'v1' } },
      ],
    };
  }
  if (path === '/apis/kustomize.toolkit.fluxcd.io/v1') {
    return { resources: [{ name: 'kustomizations', kind: 'Kustomization', namespaced: true, verbs: ['list', 'watch'] }, { name: 'kustomizations/status', kind: 'Kustomization', namespaced: true }] };
  }
  if (path === '/apis/source.toolkit.fluxcd.io/v1') {
    return { resources: [{ name: 'gitrepositories', kind: 'GitRepository', namespaced: true, verbs: ['list', 'watch'] }, { name: 'widgets', kind: 'Widget', namespaced: true }] };
  }
  return undefined;
}

const emptyList = { metadata: { resourceVersion: '1' }, items: [] };

test('discovers the Flux kinds served and watches each cluster-wide', async () => {
  const api = new FakeApi((_m, p) => discovery(p) ?? emptyList);
  const s = new ContextSession('dev', api, new FakeClock(), { namespaces: [], backoff: BACKOFF });
  s.start();
  await settle();
  await settle();
  assert.deepEqual(s.types.map((t) => `${t.kind}/${t.plural}@${t.version}`).sort(), ['GitRepository/gitrepositories@v1', 'Kustomization/kustomizations@v1']);
  assert.deepEqual(api.watches.map((w) => w.path.split('?')[0]).sort(), [
    '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
    '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
    '/apis/source.toolkit.fluxcd.io/v1/gitrepositories',
  ]);
  const crdList = api.requests.find((r) => r.path.startsWith('/apis/apiextensions.k8s.io/v1/customresourcedefinitions'));
  assert.match(crdList?.options?.accept ?? '', /as=PartialObjectMetadataList/, 'CRDs are followed by metadata only');
  assert.match(api.watchAccepts[api.watches.findIndex((w) => w.path.includes('customresourcedefinitions'))] ?? '', /as=PartialObjectMetadata;/);
  assert.equal(s.state, 'ready');
  s.stop();
  assert.equal(api.closed, true);
});

test('configured namespaces get one watch each', async () => {
  const api = new FakeApi((_m, p) => discovery(p) ?? emptyList);
  const s = new ContextSession('dev', api, new FakeClock(), { namespaces: ['a', 'b'], backoff: BACKOFF });
  s.start();
  await settle();
  await settle();
  assert.equal(api.watches.filter((w) => w.path.includes('/namespaces/a/')).length, 2);
  assert.equal(api.watches.filter((w) => w.path.includes('/namespaces/b/')).length, 2);
  s.stop();
});

test('no Flux group served: noFlux, no watches', async () => {
  const api = new FakeApi((_m, p) => (p === '/apis' ? { groups: [{ name: 'apps', preferredVersion: { version: 'v1' } }] } : emptyList));
  const s = new ContextSession('dev', api, new FakeClock(), { namespaces: [], backoff: BACKOFF });
  s.start();
  await settle();
  assert.equal(s.state, 'noFlux');
  assert.deepEqual(api.watches.map((w) => w.path.split('?')[0]), ['/apis/apiextensions.k8s.io/v1/customresourcedefinitions'], 'only the CRDs are followed');
});

test('unreachable: an error state with the message, and a retry', async () => {
  let calls = 0;
  const api = new FakeApi(() => (calls++, new KubeError('unreachable', 'no response from 127.0.0.1:1 within 4 s')));
  const clock = new FakeClock();
  const s = new ContextSession('dev', api, clock, { namespaces: [], backoff: BACKOFF });
  s.start();
  await settle();
  assert.equal(s.state, 'error');
  assert.equal(s.error, 'no response from 127.0.0.1:1 within 4 s');
  clock.advance(500);
  await settle();
  assert.equal(calls, 2);
  s.stop();
});

test('a forbidden cluster-wide list falls back to the namespaces the user can read, with one warning', async () => {
  const forbidden = new KubeError('http', 'kustomizations.kustomize.toolkit.fluxcd.io is forbidden', 403, 'Forbidden');
  const api = new FakeApi((_m, p) => {
    const d = discovery(p);
    if (d) return d;
    if (p === '/api/v1/namespaces') return { items: [{ metadata: { name: 'team-a' } }, { metadata: { name: 'team-b' } }] };
    if (p.includes('/namespaces/team-b/')) return new KubeError('http', 'forbidden in team-b', 403, 'Forbidden');
    if (!p.includes('/namespaces/')) return forbidden;
    return { metadata: { resourceVersion: '3' }, items: [{ metadata: { name: 'x', namespace: 'team-a' } }] };
  });
  const s = new ContextSession('dev', api, new FakeClock(), { namespaces: [], backoff: BACKOFF });
  s.start();
  for (let i = 0; i < 6; i++) await settle();
  assert.equal(s.state, 'ready');
  assert.deepEqual(s.all().map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort(), ['GitRepository/team-a/x', 'Kustomization/team-a/x']);
  const warnings = [...s.warnings].join('\n');
  assert.match(warnings, /Cannot list Kustomization objects cluster-wide/);
  assert.doesNotMatch(warnings, /team-b/, 'a probed namespace that is denied is expected, not reported');
  assert.doesNotMatch(warnings, /Set fluxGitops/);
  s.stop();
});

test('a denied namespace that was configured is reported', async () => {
  const api = new FakeApi((_m, p) => discovery(p) ?? (p.includes('/namespaces/secret/') ? new KubeError('http', 'forbidden', 403, 'Forbidden') : emptyList));
  const s = new ContextSession('dev', api, new FakeClock(), { namespaces: ['open', 'secret'], backoff: BACKOFF });
  s.start();
  for (let i = 0; i < 4; i++) await settle();
  assert.equal(s.state, 'ready');
  assert.deepEqual([...s.warnings].sort(), ['No access to GitRepository objects in namespace secret: forbidden', 'No access to Kustomization objects in namespace secret: forbidden']);
  s.stop();
});

test('Flux installed while the view is open: a Flux CRD event leads to a new discovery and watches', async () => {
  let installed = false;
  const api = new FakeApi((_m, p) => {
    if (p === '/apis') return installed ? discovery(p) : { groups: [] };
    return discovery(p) ?? emptyList;
  });
  const clock = new FakeClock();
  const s = new ContextSession('dev', api, clock, { namespaces: [], backoff: BACKOFF });
  let crdEvents = 0;
  s.crdsChanged.on(() => crdEvents++);
  s.start();
  for (let i = 0; i < 3; i++) await settle();
  assert.equal(s.state, 'noFlux');
  installed = true;
  const crds = api.watches.find((w) => w.path.includes('customresourcedefinitions'))!;
  crds.send('ADDED', { kind: 'PartialObjectMetadata', metadata: { name: 'kustomizations.kustomize.toolkit.fluxcd.io', resourceVersion: '5' } });
  crds.send('ADDED', { kind: 'PartialObjectMetadata', metadata: { name: 'gitrepositories.source.toolkit.fluxcd.io', resourceVersion: '6' } });
  assert.equal(crdEvents, 2);
  clock.advance(999);
  await settle();
  assert.equal(s.state, 'noFlux', 'waits for the burst of CRD changes to end');
  clock.advance(1);
  for (let i = 0; i < 4; i++) await settle();
  assert.equal(s.state, 'ready');
  assert.deepEqual(s.types.map((t) => t.kind).sort(), ['GitRepository', 'Kustomization']);
  s.stop();
});

test('a CRD change outside Flux does not rediscover; a forbidden CRD watch is dropped silently', async () => {
  const api = new FakeApi((_m, p) => discovery(p) ?? emptyList);
  const clock = new FakeClock();
  const s = new ContextSession('dev', api, clock, { namespaces: [], backoff: BACKOFF });
  s.start();
  for (let i = 0; i < 3; i++) await settle();
  const discoveries = () => api.requests.filter((r) => r.path === '/apis').length;
  const crds = api.watches.find((w) => w.path.includes('customresourcedefinitions'))!;
  crds.send('MODIFIED', { kind: 'PartialObjectMetadata', metadata: { name: 'certificates.cert-manager.io', resourceVersion: '7' } });
  clock.advance(2000);
  await settle();
  assert.equal(discoveries(), 1);
  crds.fail(new KubeError('http', 'customresourcedefinitions is forbidden', 403, 'Forbidden'));
  await settle();
  assert.equal(s.warnings.size, 0);
  assert.equal(s.state, 'ready');
  clock.advance(60_000);
  await settle();
  assert.equal(api.watches.filter((w) => w.path.includes('customresourcedefinitions')).length, 1, 'not retried');
  s.stop();
});
