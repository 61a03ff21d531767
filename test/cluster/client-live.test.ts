// The extension's cluster client against the real control plane: its watches follow what the real
// Flux controllers do, and its reconcile / suspend / resume (the flux CLI's merge patches, then the
// event-driven wait) make the real controllers act.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { reconcile, resume, suspend } from '../../client/src/cluster/model/actions';
import { systemClock } from '../../client/src/cluster/connection/clock';
import type { ContextSession } from '../../client/src/cluster/connection/contextSession';
import { inventoryOf } from '../../client/src/cluster/model/inventory';
import { stringAt } from '../../client/src/cluster/connection/objects';
import { REQUESTED_AT } from '../../client/src/cluster/model/patches';
import { summarize } from '../../client/src/cluster/model/status';
import { lastHandledReconcileAt } from '../../client/src/cluster/model/wait';
import type { Clusters } from '../../client/src/cluster/connection/clusters';
import { FluxTreeModel } from '../../client/src/cluster/ui/fluxTreeModel';
import { clientSession, configMapFile, get, until } from './clientSupport';
import { createEnv, type ClusterEnv } from './env';

let env: ClusterEnv;
let clusters: Clusters;
let session: ContextSession;
const options = { clock: systemClock, timeoutMs: 120_000 };

before(async () => {
  env = await createEnv('client-live');
  ({ clusters, session } = clientSession(env.kubeconfigPath, [env.namespace]));
  await env.apply(env.fluxObjects().gitRepository);
  await env.apply(env.fluxObjects().kustomization);
});
after(async () => {
  clusters?.dispose();
  await env?.dispose();
});

const ks = () => get(session, 'Kustomization', env.namespace, 'app');
const repo = () => get(session, 'GitRepository', env.namespace, 'fleet');

test('the store lists the real objects and follows the controllers until Ready on the pushed revision', async () => {
  const seen: string[] = [];
  const off = session.changed.on(() => {
    const k = ks();
    if (k) seen.push(summarize(k).state);
  });
  await until(session, () => ks() !== undefined && repo() !== undefined, 'both objects listed or watched');
  await until(session, () => summarize(ks()!).state === 'ready' && stringAt(ks(), ['status', 'lastAppliedRevision']) === env.head!.revision, 'Kustomization ready on the first commit');
  off();
  assert.equal(session.state, 'ready');
  assert.equal(summarize(repo()!).state, 'ready');
  assert.equal(stringAt(repo(), ['status', 'artifact', 'revision']), env.head!.revision);
  assert.ok(seen.length > 1, `the watch delivered the controller's status updates (${seen.join(', ')})`);
  assert.ok(!seen.includes('failed') && !seen.includes('stalled'), `in-progress was never shown as failure: ${seen.join(', ')}`);
  assert.deepEqual(inventoryOf(ks()!.status).map((e) => `${e.kind}/${e.namespace}/${e.name}`), [`ConfigMap/${env.namespace}/smoke`]);

  const model = new FluxTreeModel(clusters, Date.now);
  const [root] = model.roots();
  const groups = await model.children(root!);
  const names = await Promise.all(groups.map(async (g) => [model.view(g).label, (await model.children(g)).map((n) => `${model.view(n).label} ${model.view(n).icon}`)]));
  assert.deepEqual(names, [
    ['Sources', [`${env.namespace}/fleet ready`]],
    ['Kustomizations', [`${env.namespace}/app ready`]],
  ]);
});

test('reconcile with source through the client picks up a pushed commit, with a new lastHandledReconcileAt', async () => {
  await until(session, () => summarize(ks()!).state === 'ready', 'Kustomization ready');
  const before = { ks: lastHandledReconcileAt(ks()), repo: lastHandledReconcileAt(repo()) };
  const second = await env.pushCommit(configMapFile('2'), 'second commit');
  const steps: string[] = [];
  const outcome = await reconcile(session, ks()!, 'plain', true, { ...options, report: (m) => steps.push(m) });
  assert.equal(outcome.result, 'ready', outcome.message);
  assert.equal(outcome.message, `Applied revision: ${second.revision}`);
  assert.deepEqual(steps, [
    `annotating GitRepository ${env.namespace}/fleet`,
    `waiting for GitRepository ${env.namespace}/fleet`,
    `annotating Kustomization ${env.namespace}/app`,
    `waiting for Kustomization ${env.namespace}/app`,
  ]);
  const liveKs = await env.read<{ metadata: { annotations?: Record<string, string> }; status?: { lastHandledReconcileAt?: string; lastAppliedRevision?: string } }>(env.fluxObjects().kustomization);
  const requested = liveKs.metadata.annotations?.[REQUESTED_AT];
  assert.match(requested ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  assert.equal(liveKs.status?.lastHandledReconcileAt, requested);
  assert.notEqual(liveKs.status?.lastHandledReconcileAt, before.ks);
  assert.equal(liveKs.status?.lastAppliedRevision, second.revision);
  assert.notEqual(lastHandledReconcileAt(repo()), before.repo);
  assert.equal(stringAt(repo(), ['status', 'artifact', 'revision']), second.revision);
});

test('suspend and resume through the client', async () => {
  await until(session, () => summarize(ks()!).state === 'ready', 'Kustomization ready');
  const suspended = await suspend(session, ks()!);
  assert.equal(suspended.result, 'ready');
  await until(session, () => summarize(ks()!).state === 'suspended', 'the watch shows the Kustomization suspended');
  const refused = await reconcile(session, ks()!, 'plain', false, options);
  assert.equal(refused.result, 'failed');
  assert.match(refused.message, /is suspended; resume it first/);

  const generation = ks()!.metadata.generation ?? 0;
  const resumed = await resume(session, ks()!, options);
  assert.equal(resumed.result, 'ready', resumed.message);
  assert.equal(ks()!.spec?.['suspend'], false);
  assert.ok((ks()!.metadata.generation ?? 0) > generation);
  assert.equal(summarize(ks()!).state, 'ready');
});

test('a failing build is reported as failure with the controller\'s message, not as in progress', async () => {
  await env.pushCommit({ 'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- missing.yaml\n' }, 'broken commit');
  const outcome = await reconcile(session, ks()!, 'plain', true, options);
  assert.equal(outcome.result, 'failed');
  assert.match(outcome.message, /missing\.yaml/);
  assert.equal(summarize(ks()!).state, 'failed');
  assert.equal(summarize(ks()!).reason, 'BuildFailed');
});

test('a new Kustomization that fails before any success shows as failed with the controller\'s message', async () => {
  const broken = { ...env.fluxObjects('./does-not-exist').kustomization, metadata: { name: 'no-path', namespace: env.namespace } };
  await env.apply(broken);
  const live = () => get(session, 'Kustomization', env.namespace, 'no-path');
  await until(session, () => live() !== undefined && summarize(live()!).state === 'failed', 'the new Kustomization shown as failed');
  assert.equal(summarize(live()!).reason, 'ArtifactFailed');
  assert.match(summarize(live()!).message ?? '', /kustomization path not found/);
  const model = new FluxTreeModel(clusters, Date.now);
  const groups = await model.children(model.roots()[0]!);
  const ks = await model.children(groups.find((g) => model.view(g).label === 'Kustomizations')!);
  const item = model.view(ks.find((n) => model.view(n).label === `${env.namespace}/no-path`)!);
  assert.equal(item.icon, 'failed');
  assert.match(item.description ?? '', /kustomization path not found/);
});
