import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { FluxTreeModel, type TreeNode } from '../../../client/src/cluster/ui/fluxTreeModel';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';
import { flux, sessionWith } from './sessionFixture';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const READY = (message: string) => ({ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message, lastTransitionTime: '2026-11-21T23:55:00Z' });

const repo = flux('GitRepository', 'source.toolkit.fluxcd.io/v1', 'flux-system', 'flux-system', {
  spec: { url: 'https://github.com/example/fleet.git', interval: '1m' },
  status: { observedGeneration: 1, conditions: [READY(`stored artifact for revision 'main@sha1:${SHA}'`)], artifact: { revision: `main@sha1:${SHA}` } },
});
const apps = flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'apps', {
  spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, path: './apps', interval: '10m' },
  status: {
    observedGeneration: 1,
    lastAppliedRevision: `main@sha1:${SHA}`,
    conditions: [READY(`Applied revision: main@sha1:${SHA}`)],
    inventory: { entries: [{ id: 'flux-system_infra_kustomize.toolkit.fluxcd.io_Kustomization', v: 'v1' }, { id: 'apps_podinfo__Service', v: 'v1' }] },
  },
});
const infra = flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'infra', {
  spec: { sourceRef: { kind: 'GitRepository', name: 'flux-system' }, suspend: true },
  status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed' }], inventory: { entries: [{ id: 'flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization', v: 'v1' }] } },
});
const release = flux('HelmRelease', 'helm.toolkit.fluxcd.io/v2', 'apps', 'podinfo', {
  spec: { chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'flux-system' } } } },
  status: { observedGeneration: 1, conditions: [READY('Helm install succeeded')], history: [{ version: 1, name: 'podinfo', namespace: 'apps', chartName: 'podinfo', chartVersion: '6.5.0', status: 'deployed' }] },
});
const provider = flux('Provider', 'notification.toolkit.fluxcd.io/v1beta3', 'flux-system', 'slack', {});

const helmSecret = {
  data: {
    release: Buffer.from(gzipSync(Buffer.from(JSON.stringify({ name: 'podinfo', version: 1, namespace: 'apps', manifest: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n' }))).toString('base64')).toString('base64'),
  },
};

async function model(objects: KubeObject[] = [repo, apps, infra, release, provider]) {
  const { session } = await sessionWith(objects, { '/api/v1/namespaces/apps/secrets/sh.helm.release.v1.podinfo.v1': helmSecret });
  const m = new FluxTreeModel({ sessions: [session], session: (c) => (c === 'test' ? session : undefined) }, () => Date.parse('2026-11-22T00:00:00Z'));
  return { m, session };
}

const labels = (m: FluxTreeModel, nodes: TreeNode[]) => nodes.map((n) => m.view(n).label);

test('context → kind groups in the fixed order, objects with status, revision and age', async () => {
  const { m, session } = await model();
  const [ctx] = m.roots();
  assert.equal(m.view(ctx!).description, 'connected');
  const groups = await m.children(ctx!);
  assert.deepEqual(labels(m, groups), ['Sources', 'Kustomizations', 'Helm releases', 'Notifications']);
  assert.deepEqual(groups.map((g) => m.view(g).description), ['1', '2', '1', '1'], 'each group counts its objects');
  const ks = await m.children(groups[1]!);
  assert.deepEqual(labels(m, ks), ['flux-system/apps', 'flux-system/infra']);
  const view = m.view(ks[0]!);
  assert.equal(view.icon, 'ready');
  assert.equal(view.description, 'Kustomization · main@0123456 · 5m');
  const tooltip = m.tooltip(ks[0]!) ?? '';
  assert.match(tooltip, /Ready=True \(ReconciliationSucceeded\): Applied revision: main@sha1:0123456789/);
  assert.match(tooltip, /Interval: `10m`/);
  assert.equal(view.contextValue, 'fluxObject Kustomization active hasSource');
  assert.equal(m.view(ks[1]!).icon, 'suspended');
  assert.doesNotMatch(m.view(ks[1]!).description!, /kustomize build failed/, 'suspended: the old failure is not the news');
  assert.match(m.view(ks[1]!).contextValue, /\bsuspended\b/);
  const notifications = await m.children(groups[3]!);
  assert.equal(m.view(notifications[0]!).icon, 'ready', 'a Provider has no status and is not unknown');
  session.stop();
});

test('a Kustomization inventory recurses into child Kustomizations without looping', async () => {
  const { m, session } = await model();
  const [ctx] = m.roots();
  const ks = await m.children((await m.children(ctx!))[1]!);
  const children = await m.children(ks[0]!);
  assert.deepEqual(labels(m, children), ['Kustomization/infra', 'Service/podinfo']);
  assert.equal(m.view(children[1]!).clickCommand, 'fluxGitops.cluster.openLive', 'a plain resource opens its live YAML when clicked');
  assert.equal(children[0]!.type, 'object');
  const grandChildren = await m.children(children[0]!);
  assert.deepEqual(labels(m, grandChildren), ['Kustomization/apps']);
  assert.equal(grandChildren[0]!.type, 'resource', 'apps inside apps is not expanded again');
  session.stop();
});

test('HelmRelease: history and the inventory decoded from the Helm storage Secret', async () => {
  const { m, session } = await model();
  const [ctx] = m.roots();
  const [hr] = await m.children((await m.children(ctx!))[2]!);
  const [history, inventory] = await m.children(hr!);
  assert.deepEqual(labels(m, await m.children(history!)), ['v1 podinfo@6.5.0']);
  const objects = await m.children(inventory!);
  assert.deepEqual(labels(m, objects), ['Deployment/podinfo']);
  assert.equal(m.view(objects[0]!).description, 'apps');
  session.stop();
});

test('a source lists its dependants', async () => {
  const { m, session } = await model();
  const [ctx] = m.roots();
  const [source] = await m.children((await m.children(ctx!))[0]!);
  assert.deepEqual(labels(m, await m.children(source!)), ['Kustomization/apps', 'Kustomization/infra']);
  session.stop();
});

test('grouping by namespace', async () => {
  const { m, session } = await model();
  m.grouping = 'namespace';
  const [ctx] = m.roots();
  const groups = await m.children(ctx!);
  assert.deepEqual(labels(m, groups), ['apps', 'flux-system']);
  assert.deepEqual(labels(m, await m.children(groups[1]!)), ['GitRepository/flux-system', 'Kustomization/apps', 'Kustomization/infra', 'Provider/slack']);
  session.stop();
});

test('is my commit live: HEAD against the GitRepository of the same URL and its Kustomizations', async () => {
  const { m, session } = await model();
  const [ctx] = m.roots();
  const groups = await m.children(ctx!);
  const [source] = await m.children(groups[0]!);
  m.head = { root: '/repo', commit: SHA, branch: 'main', remotes: ['git@github.com:example/fleet.git'] };
  assert.match(m.view(source!).description!, /HEAD 0123456 is live/);
  m.head = { ...m.head, commit: 'f'.repeat(40) };
  const [apps] = await m.children(groups[1]!);
  assert.match(m.view(apps!).description!, /HEAD fffffff not live yet/);
  m.head = { ...m.head, remotes: ['https://github.com/other/repo'] };
  assert.doesNotMatch(m.view(apps!).description!, /HEAD/);
  session.stop();
});

test('a failed object shows the first line of its message in the description', async () => {
  const failing = flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'broken', {
    status: { observedGeneration: 1, conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message: 'kustomize build failed: missing.yaml\nmore detail' }] },
  });
  const { m, session } = await model([failing]);
  const [ks] = await m.children((await m.children(m.roots()[0]!))[0]!);
  const view = m.view(ks!);
  assert.equal(view.icon, 'failed');
  assert.equal(view.description, 'Kustomization · 24h · kustomize build failed: missing.yaml');
  assert.equal(view.accessibleLabel, 'Kustomization flux-system/broken: Failed, kustomize build failed: missing.yaml');
  session.stop();
});
