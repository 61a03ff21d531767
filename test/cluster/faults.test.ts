// The fault injections of the test helper act on the real API server: each is checked by what a client sees.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiException, CoreV1Api, Watch, type KubeConfig } from '@kubernetes/client-node';
import { createEnv, startCluster, type ClusterEnv } from './env';

let env: ClusterEnv;
before(async () => {
  env = await createEnv('faults');
});
after(async () => {
  await env?.dispose();
});

/** Status code of a failed API call: an ApiException's code, or a watch error's statusCode. */
function statusOf(err: unknown): number | undefined {
  if (err instanceof ApiException) return err.code;
  return (err as { statusCode?: number }).statusCode;
}

interface WatchRun {
  /** resourceVersion of the last event received. */
  lastResourceVersion: () => string | undefined;
  /** 410 when the API server expired the watch (as an ERROR event or an HTTP status), else the end reason. */
  ended: Promise<{ code?: number; error?: unknown }>;
  added: (name: string) => Promise<void>;
  abort: () => void;
}

/** Watches ConfigMaps in the env's namespace from `resourceVersion`. */
async function watchConfigMaps(kc: KubeConfig, namespace: string, resourceVersion: string): Promise<WatchRun> {
  let last: string | undefined;
  const seen = new Map<string, () => void>();
  const names = new Set<string>();
  let finish: (r: { code?: number; error?: unknown }) => void = () => undefined;
  const ended = new Promise<{ code?: number; error?: unknown }>((resolve) => (finish = resolve));
  const controller = await new Watch(kc).watch(
    `/api/v1/namespaces/${namespace}/configmaps`,
    { resourceVersion },
    (phase, obj: { code?: number; metadata?: { name?: string; resourceVersion?: string } }) => {
      if (phase === 'ERROR') {
        finish({ code: obj.code });
        return;
      }
      last = obj.metadata?.resourceVersion ?? last;
      const name = obj.metadata?.name ?? '';
      names.add(name);
      seen.get(name)?.();
    },
    (err: unknown) => finish(err ? { code: statusOf(err), error: err } : {}),
  );
  return {
    lastResourceVersion: () => last,
    ended,
    added: (name) => (names.has(name) ? Promise.resolve() : new Promise((r) => seen.set(name, r))),
    abort: () => controller.abort(),
  };
}

test('stopping the API server makes requests fail; starting it again makes them succeed', async () => {
  const core = env.kubeConfig().makeApiClient(CoreV1Api);
  await core.readNamespace({ name: env.namespace });
  await env.stopApiServer();
  await assert.rejects(core.readNamespace({ name: env.namespace }), /ECONNREFUSED|connect/);
  await env.startApiServer();
  assert.equal((await core.readNamespace({ name: env.namespace })).metadata?.name, env.namespace);
});

test('expireWatches ends open watches, and resuming one from its last resourceVersion gets 410 Gone', async () => {
  const kc = env.kubeConfig();
  const core = kc.makeApiClient(CoreV1Api);
  const list = await core.listNamespacedConfigMap({ namespace: env.namespace });
  const watch = await watchConfigMaps(kc, env.namespace, list.metadata!.resourceVersion!);
  await core.createNamespacedConfigMap({ namespace: env.namespace, body: { metadata: { name: 'watched' } } });
  await watch.added('watched');
  const resumeFrom = watch.lastResourceVersion()!;

  await env.expireWatches();
  const ended = await watch.ended;
  assert.notEqual(ended.code, 410, 'the open watch ends with the API server, not with an expiry');

  const resumed = await watchConfigMaps(kc, env.namespace, resumeFrom);
  const outcome = await resumed.ended;
  resumed.abort();
  assert.equal(outcome.code, 410, `expected 410 Gone, got ${JSON.stringify(outcome)}`);
});

test('a watch from a resourceVersion older than the watch cache gets 410 Gone', async () => {
  const watch = await watchConfigMaps(env.kubeConfig(), env.namespace, '1');
  const outcome = await watch.ended;
  watch.abort();
  assert.equal(outcome.code, 410);
});

test('denyNamespace takes the namespace from the restricted user, allowNamespace gives it back', async () => {
  const restricted = env.restrictedKubeConfig().makeApiClient(CoreV1Api);
  const list = () => restricted.listNamespacedConfigMap({ namespace: env.namespace });
  await list();
  await env.denyNamespace();
  await assert.rejects(list(), (err) => statusOf(err) === 403);
  await env.allowNamespace();
  assert.ok(Array.isArray((await list()).items));
  // Never granted anything cluster-wide.
  await assert.rejects(restricted.listNamespace(), (err) => statusOf(err) === 403);
});

test('without built binaries the helper fails with a pointer to the build script', async () => {
  const saved = { cache: process.env.FLUX_GITOPS_CACHE, dir: process.env.FLUX_GITOPS_CLUSTER_DIR };
  const empty = mkdtempSync(join(tmpdir(), 'flux-gitops-empty-cache-'));
  process.env.FLUX_GITOPS_CACHE = empty;
  process.env.FLUX_GITOPS_CLUSTER_DIR = join(empty, 'state');
  try {
    await assert.rejects(startCluster(), /test\/setup\/cluster\.sh/);
  } finally {
    for (const [key, value] of [['FLUX_GITOPS_CACHE', saved.cache], ['FLUX_GITOPS_CLUSTER_DIR', saved.dir]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(empty, { recursive: true, force: true });
  }
});
