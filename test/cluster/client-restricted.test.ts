// The extension's cluster client as a user with access to some namespaces only: what is visible is
// shown, and each denied part is named in a message instead of failing the whole view.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clusters } from '../../client/src/cluster/connection/clusters';
import { reconcile } from '../../client/src/cluster/model/actions';
import { systemClock } from '../../client/src/cluster/connection/clock';
import { summarize } from '../../client/src/cluster/model/status';
import { FluxTreeModel } from '../../client/src/cluster/ui/fluxTreeModel';
import { clientSession, get, until } from './clientSupport';
import { createEnv, type ClusterEnv } from './env';

let visible: ClusterEnv;
let denied: ClusterEnv;
const open: Clusters[] = [];

before(async () => {
  visible = await createEnv('client-rbac-a');
  denied = await createEnv('client-rbac-b');
  await denied.denyNamespace();
  for (const env of [visible, denied]) {
    await env.apply(env.fluxObjects().gitRepository);
    await env.apply(env.fluxObjects().kustomization);
  }
});
after(async () => {
  for (const c of open) c.dispose();
  await visible?.dispose();
  await denied?.dispose();
});

test('configured namespaces: the readable one is shown, the denied one is named', async () => {
  const { clusters, session } = clientSession(visible.restrictedKubeconfigPath, [visible.namespace, denied.namespace]);
  open.push(clusters);
  await until(session, () => get(session, 'Kustomization', visible.namespace, 'app') !== undefined && session.warnings.size >= 1, 'visible objects and a warning');
  await until(session, () => session.state === 'ready', 'the visible part is ready');
  assert.equal(get(session, 'Kustomization', denied.namespace, 'app'), undefined);
  const warnings = [...session.warnings].join('\n');
  assert.match(warnings, new RegExp(`No access to (Kustomization|GitRepository) objects in namespace ${denied.namespace}`));
  assert.doesNotMatch(warnings, new RegExp(visible.namespace));

  const model = new FluxTreeModel(clusters, Date.now);
  const children = await model.children(model.roots()[0]!);
  const labels = children.map((n) => model.view(n).label);
  assert.ok(labels.some((l) => l.includes(denied.namespace)), labels.join('\n'));
  assert.ok(labels.includes('Kustomizations'));
});

test('no namespaces configured: cluster-wide access is denied and the view says what to do', async () => {
  const { clusters, session } = clientSession(visible.restrictedKubeconfigPath, []);
  open.push(clusters);
  await until(session, () => session.warnings.size > 0, 'a warning about cluster-wide access');
  const warnings = [...session.warnings].join('\n');
  assert.match(warnings, /Cannot list (Kustomization|GitRepository|\w+) objects cluster-wide/);
  assert.match(warnings, /Set fluxGitops\.cluster\.namespaces/);
  assert.notEqual(session.state, 'error', 'a permission problem is not an unreachable cluster');
});

test('the restricted user can reconcile where allowed', async () => {
  const { clusters, session } = clientSession(visible.restrictedKubeconfigPath, [visible.namespace]);
  open.push(clusters);
  const ks = () => get(session, 'Kustomization', visible.namespace, 'app');
  await until(session, () => ks() !== undefined && summarize(ks()!).state === 'ready', 'Kustomization ready');
  const outcome = await reconcile(session, ks()!, 'plain', false, { clock: systemClock, timeoutMs: 120_000 });
  assert.equal(outcome.result, 'ready', outcome.message);
});
