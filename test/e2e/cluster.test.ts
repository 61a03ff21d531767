// Flows 2 and 3 (issue 7), against the real local control plane (kube-apiserver, source- and
// kustomize-controller, Git server: test/cluster/). Flow 2: the Flux view lists the cluster's objects
// with their status icons, and a failing Kustomization shows its message. Flow 3: after a pushed
// commit, "Flux: Reconcile..." from the command palette, a pick of the Kustomization, a progress
// notification, and the tree shows the new revision.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createEnv, type ClusterEnv, type Manifest } from '../cluster/env';
import { fleetExample } from './support/paths';
import { startSession, type Session } from './support/session';

interface Condition {
  type: string;
  status: string;
  message?: string;
}
interface FluxObject extends KubernetesObject {
  status?: { conditions?: Condition[]; lastAppliedRevision?: string };
}
const readyOf = (o: FluxObject): Condition | undefined => o.status?.conditions?.find((c) => c.type === 'Ready');

let env: ClusterEnv;
let session: Session;
let objects: Record<'gitRepository' | 'kustomization' | 'broken' | 'paused', Manifest>;
let brokenMessage: string;

before(async () => {
  env = await createEnv('e2e');
  const { gitRepository, kustomization } = env.fluxObjects();
  // A Kustomization of a folder the repository does not have: kustomize-controller fails it.
  const broken: Manifest = { ...kustomization, metadata: { ...kustomization.metadata, name: 'broken' }, spec: { ...kustomization.spec, path: './missing' } };
  // A suspended one: the controller leaves it alone.
  const paused: Manifest = { ...kustomization, metadata: { ...kustomization.metadata, name: 'paused' }, spec: { ...kustomization.spec, suspend: true } };
  objects = { gitRepository, kustomization, broken, paused };
  for (const o of Object.values(objects)) await env.apply(o);
  await env.waitFor<FluxObject>(kustomization, (o) => readyOf(o)?.status === 'True' && o.status?.lastAppliedRevision === env.head?.revision, 'Ready');
  const failed = await env.waitFor<FluxObject>(broken, (o) => readyOf(o)?.status === 'False' && Boolean(readyOf(o)?.message), 'Ready=False');
  brokenMessage = readyOf(failed)?.message ?? '';
  session = await startSession({
    flow: 'cluster',
    workspaceFrom: fleetExample,
    env: { KUBECONFIG: env.kubeconfigPath },
    // Only this suite's namespace: other suites share the plane.
    settings: { 'fluxGitops.cluster.namespaces': [env.namespace] },
  });
});
afterEach(async (t) => {
  await session?.workbench.shotAfter(t.name);
});
after(async () => {
  await session?.close();
  await env?.dispose();
});

test('the Flux view lists the cluster objects with status icons (ready, failed, suspended) and a failing Kustomization with its message', { timeout: 180_000 }, async () => {
  const { workbench } = session;
  await workbench.showViewContainer('Flux');
  await workbench.sideBarWidth(720);
  const rows = workbench.treeRows('Clusters');
  await workbench.expand(rows.first());
  await workbench.expand(rows.filter({ hasText: 'Sources' }));
  await workbench.expand(rows.filter({ hasText: 'Kustomizations' }));
  const repo = rows.filter({ hasText: `${env.namespace}/fleet` });
  const app = rows.filter({ hasText: `${env.namespace}/app` });
  const broken = rows.filter({ hasText: `${env.namespace}/broken` });
  const paused = rows.filter({ hasText: `${env.namespace}/paused` });
  await Promise.all([repo.waitFor(), app.waitFor(), broken.waitFor(), paused.waitFor()]);
  await workbench.shot('flux-tree');

  await workbench.waitForTreeIcon(repo, 'pass-filled');
  await workbench.waitForTreeIcon(app, 'pass-filled');
  await workbench.waitForTreeIcon(broken, 'error');
  await workbench.waitForTreeIcon(paused, 'debug-pause');
  const shortRevision = `main@${env.head!.sha.slice(0, 7)}`;
  assert.match(await app.innerText(), new RegExp(shortRevision));
  const firstLine = brokenMessage.split('\n')[0].slice(0, 60);
  assert.ok((await broken.innerText()).includes(firstLine), `the row does not show "${firstLine}"`);
  await workbench.hoverText(broken.locator('.label-name, .monaco-icon-label').first(), firstLine);
  await workbench.shot('failing-kustomization-tooltip');
});

test('"Flux: Reconcile..." after a pushed commit shows progress and the tree shows the new revision', { timeout: 180_000 }, async () => {
  const { workbench } = session;
  await workbench.page.mouse.move(1000, 300);
  const pushed = await env.pushCommit(
    { 'app/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: e2e\ndata:\n  commit: "2"\n` },
    'second commit',
  );
  const rows = workbench.treeRows('Clusters');
  const app = rows.filter({ hasText: `${env.namespace}/app` });
  const newRevision = `main@${pushed.sha.slice(0, 7)}`;
  assert.doesNotMatch(await app.innerText(), new RegExp(newRevision));

  await workbench.command('Flux: Reconcile...');
  await workbench.quickPickRows.first().waitFor();
  await workbench.shot('reconcile-pick');
  await workbench.pick(`Kustomization ${env.namespace}/app`);
  const title = `Reconcile Kustomization ${env.namespace}/app`;
  const progress = workbench.notifications().filter({ hasText: title });
  await progress.first().waitFor({ state: 'attached' });
  await workbench.shot('reconcile-progress');
  // The outcome comes as its own notification, which (unlike the progress) cannot be cancelled.
  const done = workbench.notifications().filter({ hasText: `${title}: ` }).filter({ hasNotText: 'Cancel' });
  await done.first().waitFor();
  assert.match(await done.first().innerText(), new RegExp(pushed.revision.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await app.filter({ hasText: newRevision }).waitFor();
  await workbench.shot('new-revision-in-tree');
  await workbench.waitForTreeIcon(app, 'pass-filled');
});
