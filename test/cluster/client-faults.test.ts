// The extension's watches survive what real API servers do: being stopped and restarted (an error
// is shown, then the same session recovers without a reload) and expiring resourceVersions (410 Gone
// → a fresh list). An endpoint that accepts connections but never answers is an error, not a hang.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ContextSession } from '../../client/src/cluster/connection/contextSession';
import type { Clusters } from '../../client/src/cluster/connection/clusters';
import { stringAt } from '../../client/src/cluster/connection/objects';
import { FluxTreeModel } from '../../client/src/cluster/ui/fluxTreeModel';
import { clientSession, configMapFile, get, readyFleet, until } from './clientSupport';
import type { ClusterEnv } from './env';

let env: ClusterEnv;
let clusters: Clusters;
let session: ContextSession;

before(async () => {
  ({ env, clusters, session } = await readyFleet('client-faults'));
});
after(async () => {
  clusters?.dispose();
  await env?.startApiServer().catch(() => undefined);
  await env?.dispose();
});

/** Requests a reconcile as admin (not through the client) after a push: the watch must deliver the result. */
async function pushAndReconcile(commit: string): Promise<string> {
  const pushed = await env.pushCommit(configMapFile(commit), `commit ${commit}`);
  const at = new Date().toISOString();
  for (const obj of Object.values(env.fluxObjects())) {
    await env.mergePatch(obj, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at } } });
  }
  return pushed.revision;
}

const applied = () => stringAt(get(session, 'Kustomization', env.namespace, 'app'), ['status', 'lastAppliedRevision']);

test('API server stopped: an error in the tree, objects kept; restarted: the same session recovers', async () => {
  const model = new FluxTreeModel(clusters, Date.now);
  await env.stopApiServer({ kill: true });
  await until(session, () => session.state === 'error', 'the session reports the lost API server');
  assert.ok(session.error && session.error.length > 0);
  const [root] = model.roots();
  assert.equal(model.view(root!).description, 'unreachable');
  const [first] = await model.children(root!);
  assert.equal(first?.type, 'message');
  assert.match(model.view(first!).label, /^Cannot reach the cluster: .+ \(retrying\)$/);
  assert.ok(get(session, 'Kustomization', env.namespace, 'app'), 'the last known objects stay visible');

  await env.startApiServer();
  await until(session, () => session.state === 'ready', 'the session reconnects by itself');
  const revision = await pushAndReconcile('after-restart');
  await until(session, () => applied() === revision, `the watch delivers the new revision ${revision}`);
  const [reconnected] = model.roots();
  assert.equal(model.view(reconnected!).description, 'connected');
  const counts = (await model.children(reconnected!)).map((g) => Number(model.view(g).description));
  assert.equal(counts.reduce((a, b) => a + b, 0), 2, 'the groups count the two objects');
});

test('watches expired by the API server (410 Gone) lead to a fresh list and keep following changes', async () => {
  await until(session, () => session.state === 'ready', 'ready');
  const lists = session.listCount;
  await env.expireWatches();
  // Failures resume the watch from its resourceVersion; only a 410 Gone makes the store list again.
  await until(session, () => session.listCount > lists && session.state === 'ready', 'a relist after 410');
  const revision = await pushAndReconcile('after-410');
  await until(session, () => applied() === revision, `the watch delivers the new revision ${revision}`);
});

test('an API endpoint that accepts connections but never answers becomes an error, not a hang', async (t) => {
  const sockets: Socket[] = [];
  const silent: Server = createServer((s) => sockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  const port = (silent.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'silent-kc-'));
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = join(dir, 'config');
  writeFileSync(file, `apiVersion: v1\nkind: Config\nclusters:\n- name: silent\n  cluster:\n    server: https://127.0.0.1:${port}\n    insecure-skip-tls-verify: true\nusers:\n- name: u\n  user:\n    token: t\ncontexts:\n- name: silent\n  context: {cluster: silent, user: u}\ncurrent-context: silent\n`);
  const { clusters: silentClusters, session: silentSession } = clientSession(file, []);
  t.after(() => silentClusters.dispose());
  await until(silentSession, () => silentSession.state === 'error', 'an error state', 30_000);
  assert.match(silentSession.error ?? '', /no response from 127\.0\.0\.1:\d+ within 4 s/);
});
