// The Flux tree's refreshes, driven as VS Code drives the provider: the view asks for children and
// items, the user expands, the watch adds an object; TreeState then names what to re-send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FluxTreeModel, type TreeNode } from '../../../client/src/cluster/ui/fluxTreeModel';
import { TreeState, type TreeSource } from '../../../client/src/cluster/ui/treeState';
import type { ContextSession } from '../../../client/src/cluster/connection/contextSession';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';
import { settle, type FakeApi } from './fakeApi';
import { flux, sessionWith } from './sessionFixture';

const READY = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'ok' };
const kustomization = (name: string) =>
  flux('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', 'flux-system', name, { status: { observedGeneration: 1, conditions: [READY] } });
const repo = flux('GitRepository', 'source.toolkit.fluxcd.io/v1', 'flux-system', 'fleet', { status: { observedGeneration: 1, conditions: [READY] } });

interface Shown {
  readonly m: FluxTreeModel;
  readonly state: TreeState<TreeNode>;
  readonly source: TreeSource<TreeNode>;
  readonly api: FakeApi;
  readonly sessions: ContextSession[];
  /** What VS Code does on a refresh or an expansion: children, then each child's item. */
  show(parent?: TreeNode): Promise<TreeNode[]>;
}

async function shown(objects: KubeObject[]): Promise<Shown> {
  const { session, api } = await sessionWith(objects);
  const sessions = [session];
  const m = new FluxTreeModel({ sessions, session: (c) => sessions.find((s) => s.context === c) }, () => Date.parse('2026-11-22T00:00:00Z'));
  const state = new TreeState<TreeNode>();
  const source: TreeSource<TreeNode> = {
    roots: () => m.roots(),
    children: (n) => m.children(n),
    view: (n) => m.view(n),
    walkInto: (n) => !(n.type === 'section' && n.section === 'inventory'),
  };
  const show = async (parent?: TreeNode) => {
    const children = state.given(parent, parent ? await m.children(parent) : m.roots());
    for (const c of children) state.item(c, m.view(c));
    return children;
  };
  return { m, state, source, api, sessions, show };
}

async function add(api: FakeApi, plural: string, object: KubeObject): Promise<void> {
  api.watches.find((w) => w.path.includes(`/${plural}`))!.send('ADDED', { ...object, metadata: { ...object.metadata, resourceVersion: '7' } });
  for (let i = 0; i < 3; i++) await settle();
}

test('an object added to an expanded group refreshes that group only: same node objects, expansion kept', async () => {
  const t = await shown([repo, kustomization('apps')]);
  const [ctx] = await t.show();
  const groups = await t.show(ctx);
  const ks = groups.find((g) => t.m.view(g).label === 'Kustomizations')!;
  t.state.setExpanded(ks, true);
  const before = await t.show(ks);
  assert.deepEqual(await t.state.changes(t.source), [], 'nothing changed, nothing to refresh');

  await add(t.api, 'kustomizations', kustomization('infra'));
  const changes = await t.state.changes(t.source);
  assert.notEqual(changes, 'root');
  assert.deepEqual((changes as TreeNode[]).map((n) => n.id), [ks.id], 'neither the context nor the root');
  assert.equal((changes as TreeNode[])[0], ks, 'the very object the view was given');
  // The view re-reads the group: it is still expanded, its counting description moved, its old child is the same object.
  assert.equal(t.state.item(ks, t.m.view(ks)).collapsible, 'expanded');
  assert.equal(t.m.view(ks).description, '2');
  assert.equal(t.m.view(ctx!).description, 'connected', 'the context shows no count, which would refresh every group');
  const after = await t.show(ks);
  assert.deepEqual(after.map((n) => t.m.view(n).label), ['flux-system/apps', 'flux-system/infra']);
  assert.equal(after[0], before[0]);
  assert.equal((await t.state.changes(t.source)).length, 0);
});

test('a collapsed group is refreshed by its item only; other groups refresh the context; a new context the root', async () => {
  const t = await shown([repo, kustomization('apps')]);
  const [ctx] = await t.show();
  await t.show(ctx);
  await add(t.api, 'gitrepositories', { ...repo, metadata: { ...repo.metadata, name: 'other' } });
  const sources = (await t.state.changes(t.source)) as TreeNode[];
  assert.deepEqual(sources.map((n) => t.m.view(n).label), ['Sources'], 'its count changed; its children were never shown');
  await t.show(ctx);

  t.m.grouping = 'namespace';
  assert.deepEqual(((await t.state.changes(t.source)) as TreeNode[]).map((n) => n.id), [ctx!.id], 'other groups: the context re-reads them');
  await t.show(ctx);
  await add(t.api, 'kustomizations', { ...kustomization('podinfo'), metadata: { ...kustomization('podinfo').metadata, namespace: 'apps' } });
  assert.deepEqual(((await t.state.changes(t.source)) as TreeNode[]).map((n) => n.id), [ctx!.id], 'a new namespace group');
  await t.show(ctx);

  const { session } = await sessionWith([repo]);
  Object.assign(session, { context: 'second' });
  t.sessions.push(session);
  assert.equal(await t.state.changes(t.source), 'root');
});

test('the user collapsing the context is echoed in its item; a filter walks only the matching roots', async () => {
  const t = await shown([repo]);
  const [ctx] = await t.show();
  assert.equal(t.state.item(ctx!, t.m.view(ctx!)).collapsible, 'expanded', 'expanded by default');
  t.state.setExpanded(ctx!, false);
  assert.equal(t.state.item(ctx!, t.m.view(ctx!)).collapsible, 'collapsed');
  await t.show(ctx);
  await add(t.api, 'gitrepositories', { ...repo, metadata: { ...repo.metadata, name: 'other' } });
  assert.deepEqual(await t.state.changes(t.source), [], 'a collapsed context is not walked: VS Code re-reads it when expanded');
  t.state.setExpanded(ctx!, true);
  assert.deepEqual(await t.state.changes(t.source, () => false), []);
  assert.equal(((await t.state.changes(t.source, (r) => r.id === ctx!.id)) as TreeNode[]).length, 1);
});
