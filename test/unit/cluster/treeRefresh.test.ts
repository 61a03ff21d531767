// When the Flux tree re-sends rows (TreeRefresh, the tree provider's logic without VS Code), driven by
// real Clusters over a fake API server: the view asks for children and items as VS Code does, the
// watch modifies an object, and the rows that TreeRefresh fires are what VS Code would re-read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clusters } from '../../../client/src/cluster/connection/clusters';
import type { KubeCondition, KubeObject } from '../../../client/src/cluster/connection/objects';
import { FluxTreeModel, type TreeNode } from '../../../client/src/cluster/ui/fluxTreeModel';
import { TreeRefresh } from '../../../client/src/cluster/ui/treeRefresh';
import { TreeState } from '../../../client/src/cluster/ui/treeState';
import { settle, type FakeApi } from './fakeApi';
import { FakeClock } from './fakeClock';
import { apiServing, flux } from './sessionFixture';

const READY: KubeCondition = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:2222222' };
const PROGRESSING: KubeCondition = { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'reconciliation in progress' };
const RECONCILING: KubeCondition = { type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'reconciliation in progress' };
const apps = (conditions: KubeCondition[]) =>
  flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'apps', { status: { observedGeneration: 1, conditions } });
const infra = flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', 'infra', { status: { observedGeneration: 1, conditions: [READY] } });
const KUBECONFIG =
  'apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: test\n  context: {cluster: c, user: u}\n';

interface Shown {
  readonly clock: FakeClock;
  readonly api: FakeApi;
  readonly model: FluxTreeModel;
  readonly refresh: TreeRefresh;
  /** Ids of the rows fired since the last look, in order (undefined: the whole tree). */
  fired(): (string | undefined)[];
  /** The row of the Kustomization `name`, as the view shows it. */
  row(name: string): TreeNode;
}

/** Clusters with one context, its tree shown down to the Kustomizations (VS Code: children, then each child's item). */
async function shown(t: { after(fn: () => void): void }, objects: KubeObject[]): Promise<Shown> {
  const dir = mkdtempSync(join(tmpdir(), 'tree-refresh-'));
  writeFileSync(join(dir, 'config'), KUBECONFIG);
  const clock = new FakeClock();
  const api = apiServing(objects);
  const clusters = new Clusters(clock, () => api);
  clusters.load([join(dir, 'config')], { contexts: [], namespaces: [] });
  for (let i = 0; i < 5; i++) await settle();
  const model = new FluxTreeModel(clusters, () => Date.parse('2026-11-22T00:00:00Z'));
  const state = new TreeState<TreeNode>();
  let fired: (string | undefined)[] = [];
  const refresh = new TreeRefresh(state, model, (node) => fired.push(node?.id), clock);
  const unsubscribe = refresh.follow(clusters);
  t.after(() => {
    refresh.dispose();
    for (const u of unsubscribe) u();
    clusters.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const show = async (parent?: TreeNode) => {
    const children = state.given(parent, parent ? await model.children(parent) : model.roots());
    for (const c of children) state.item(c, model.view(c));
    return children;
  };
  const [context] = await show();
  const groups = await show(context);
  const kustomizations = await show(groups.find((g) => model.view(g).label === 'Kustomizations'));
  return {
    clock,
    api,
    model,
    refresh,
    fired: () => {
      const ids = fired;
      fired = [];
      return ids;
    },
    row: (name) => kustomizations.find((n) => n.type === 'object' && n.name === name)!,
  };
}

/** The watch reports a new state of a Kustomization. */
async function modify(api: FakeApi, object: KubeObject, resourceVersion: string): Promise<void> {
  api.watches.find((w) => w.path.includes('/kustomizations'))!.send('MODIFIED', { ...object, metadata: { ...object.metadata, resourceVersion } });
  for (let i = 0; i < 3; i++) await settle();
}

test('watch events are coalesced: a modified object re-sends its own row once, 200 ms after the first event, and nothing else', async (t) => {
  const tree = await shown(t, [apps([PROGRESSING, RECONCILING]), infra]);
  const row = tree.row('apps');
  assert.equal(tree.model.view(row).icon, 'reconciling');
  await modify(tree.api, apps([PROGRESSING, RECONCILING]), '8');
  await modify(tree.api, apps([READY]), '9');
  tree.clock.advance(199);
  await settle();
  assert.deepEqual(tree.fired(), [], 'nothing re-sent before the coalescing delay');
  tree.clock.advance(1);
  await settle();
  assert.deepEqual(tree.fired(), [row.id], 'one refresh, of the modified row only');
  assert.equal(tree.model.view(row).icon, 'ready', 'what VS Code re-reads');
  tree.clock.advance(1000);
  await settle();
  assert.deepEqual(tree.fired(), []);
});

test("an action's outcome re-sends the acted-on row at once, before it is reported, and the coalesced refresh does not repeat it", async (t) => {
  const tree = await shown(t, [apps([PROGRESSING, RECONCILING]), infra]);
  const row = tree.row('apps');
  // The watch event from which the reconcile's wait learns its outcome.
  await modify(tree.api, apps([READY]), '9');
  await tree.refresh.now([{ context: 'test', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }]);
  assert.deepEqual(tree.fired(), [row.id], 'no coalescing delay: the clock has not moved');
  assert.equal(tree.model.view(row).icon, 'ready');
  tree.clock.advance(1000);
  await settle();
  assert.deepEqual(tree.fired(), [], 'the event that was waiting for the delay was part of that refresh');
});
