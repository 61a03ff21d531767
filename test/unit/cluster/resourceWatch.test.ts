import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceWatch, type ResourceType } from '../../../client/src/cluster/connection/resourceWatch';
import { KubeError } from '../../../client/src/cluster/connection/transport';
import { FakeApi, gone, settle } from './fakeApi';
import { FakeClock } from './fakeClock';

const KS: ResourceType = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', plural: 'kustomizations', namespaced: true };
const BACKOFF = { initialMs: 1000, maxMs: 8000, random: () => 0.5 };

function ks(name: string, rv: string, ns = 'flux-system') {
  return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name, namespace: ns, resourceVersion: rv, managedFields: [{ manager: 'x' }] } };
}

/** A list endpoint answering pages of the given items, with a resourceVersion per call. */
function lister(pages: () => { items: unknown[]; rv: string }[]) {
  let call = 0;
  let current: { items: unknown[]; rv: string }[] = [];
  return (_method: string, path: string) => {
    if (!path.includes('continue=')) (current = pages()), (call = 0);
    const page = current[call++]!;
    const more = call < current.length;
    return { metadata: { resourceVersion: page.rv, continue: more ? `tok${call}` : '' }, items: page.items };
  };
}

test('pages through the list, then watches from its resourceVersion and applies events', async () => {
  const api = new FakeApi(lister(() => [{ items: [ks('a', '1')], rv: '10' }, { items: [ks('b', '2')], rv: '11' }]));
  const w = new ResourceWatch(api, KS, undefined, new FakeClock(), BACKOFF);
  const changes: boolean[] = [];
  w.changed.on((c) => changes.push(c.relisted));
  w.start();
  await settle();
  assert.deepEqual(api.requests.map((r) => r.path), ['/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?limit=500', '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations?limit=500&continue=tok1']);
  assert.equal(w.state, 'synced');
  assert.deepEqual([...w.objects.keys()].sort(), ['flux-system/a', 'flux-system/b']);
  assert.equal(w.objects.get('flux-system/a')?.metadata.managedFields, undefined, 'managedFields are dropped');
  assert.match(api.lastWatch().path, /watch=1&allowWatchBookmarks=true&timeoutSeconds=\d+&resourceVersion=11$/);
  api.lastWatch().send('ADDED', ks('c', '12'));
  api.lastWatch().send('MODIFIED', ks('a', '13'));
  api.lastWatch().send('DELETED', ks('b', '14'));
  assert.deepEqual([...w.objects.keys()].sort(), ['flux-system/a', 'flux-system/c']);
  assert.equal(w.objects.get('flux-system/a')?.metadata.resourceVersion, '13');
  assert.deepEqual(changes, [true, false, false, false]);
  w.stop();
  assert.equal(api.lastWatch().aborted, true);
});

test('410 as an ERROR event relists and watches from the new resourceVersion', async () => {
  let rv = 10;
  const api = new FakeApi(lister(() => [{ items: [ks('a', String(rv))], rv: String(rv++) }]));
  const w = new ResourceWatch(api, KS, 'flux-system', new FakeClock(), BACKOFF);
  w.start();
  await settle();
  assert.match(api.lastWatch().path, /^\/apis\/kustomize.toolkit.fluxcd.io\/v1\/namespaces\/flux-system\/kustomizations\?watch=1/);
  api.lastWatch().send('ERROR', { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 10 (20)' });
  await settle();
  assert.equal(w.listCount, 2);
  assert.equal(api.watches.length, 2);
  assert.match(api.lastWatch().path, /resourceVersion=11$/);
  assert.equal(w.state, 'synced');
  w.stop();
});

test('410 as the watch response status relists too', async () => {
  const api = new FakeApi(lister(() => [{ items: [], rv: '5' }]));
  const w = new ResourceWatch(api, KS, undefined, new FakeClock(), BACKOFF);
  w.start();
  await settle();
  api.lastWatch().fail(gone());
  await settle();
  assert.equal(w.listCount, 2);
  w.stop();
});

test('a lost connection is an error state, retried with backoff from the last resourceVersion, synced when the server accepts', async () => {
  const api = new FakeApi(lister(() => [{ items: [ks('a', '1')], rv: '10' }]));
  const clock = new FakeClock();
  const w = new ResourceWatch(api, KS, undefined, clock, BACKOFF);
  const states: string[] = [];
  w.stateChanged.on((s) => states.push(s));
  w.start();
  await settle();
  api.lastWatch().send('MODIFIED', ks('a', '12'));
  api.lastWatch().fail(new KubeError('unreachable', 'watch connection lost'));
  await settle();
  assert.equal(w.state, 'error');
  assert.equal(w.error?.message, 'watch connection lost');
  assert.equal(w.objects.size, 1, 'objects stay visible while disconnected');
  assert.equal(api.watches.length, 1, 'no reconnect before the backoff');
  clock.advance(750); // first retry: 1000 * (0.5 + 0.5*0.5)
  await settle();
  assert.equal(api.watches.length, 2);
  assert.match(api.lastWatch().path, /resourceVersion=12$/);
  api.lastWatch().fail(new KubeError('unreachable', '127.0.0.1:6443: connect ECONNREFUSED'));
  await settle();
  assert.match(w.error?.message ?? '', /ECONNREFUSED/);
  clock.advance(1500); // second retry: 2000 * 0.75
  await settle();
  assert.equal(w.state, 'error');
  api.lastWatch().open();
  assert.equal(w.state, 'synced');
  assert.equal(w.listCount, 1, 'no relist needed when the resourceVersion is still valid');
  assert.deepEqual(states, ['synced', 'error', 'error', 'synced']);
  w.stop();
});

test('a stream the server ends normally resumes from the last bookmark without relisting', async () => {
  const api = new FakeApi(lister(() => [{ items: [], rv: '10' }]));
  const clock = new FakeClock();
  const w = new ResourceWatch(api, KS, undefined, clock, BACKOFF);
  w.start();
  await settle();
  api.lastWatch().send('BOOKMARK', { kind: 'Kustomization', metadata: { resourceVersion: '42' } });
  clock.advance(300_000);
  api.lastWatch().end();
  await settle();
  assert.equal(w.listCount, 1);
  assert.equal(api.watches.length, 2);
  assert.match(api.lastWatch().path, /resourceVersion=42$/);
  assert.equal(w.objects.size, 0, 'a bookmark is not an object');
  w.stop();
});

test('a stream that ends at once is not reopened in a tight loop', async () => {
  const api = new FakeApi(lister(() => [{ items: [], rv: '10' }]));
  const clock = new FakeClock();
  const w = new ResourceWatch(api, KS, undefined, clock, BACKOFF);
  w.start();
  await settle();
  api.lastWatch().end();
  await settle();
  assert.equal(api.watches.length, 1, 'waits for the backoff before reopening');
  clock.advance(1000);
  await settle();
  assert.equal(api.watches.length, 2);
  w.stop();
});
