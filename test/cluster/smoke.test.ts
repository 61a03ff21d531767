// Smoke test of the local control plane: the real source- and kustomize-controller reconcile a repository
// served by the local Git server, and a reconcile requested by annotation picks up a new commit.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { createEnv, type ClusterEnv } from './env';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface FluxObject extends KubernetesObject {
  status?: {
    conditions?: Condition[];
    artifact?: { revision?: string };
    lastAppliedRevision?: string;
    lastHandledReconcileAt?: string;
  };
}

const ready = (obj: FluxObject): Condition | undefined => obj.status?.conditions?.find((c) => c.type === 'Ready');
const isReady = (obj: FluxObject): boolean => ready(obj)?.status === 'True';

let env: ClusterEnv;
before(async () => {
  env = await createEnv('smoke');
});
after(async () => {
  await env?.dispose();
});

test('GitRepository and Kustomization become Ready on the pushed revision, and follow a new commit on request', async () => {
  const first = env.head!;
  const { gitRepository: repo, kustomization: ks } = env.fluxObjects();
  await env.apply(repo);
  await env.apply(ks);

  const repoReady = await env.waitFor<FluxObject>(
    repo,
    (o) => isReady(o) && o.status?.artifact?.revision === first.revision,
    `Ready=True with revision ${first.revision}`,
  );
  assert.equal(ready(repoReady)?.reason, 'Succeeded');
  const ksReady = await env.waitFor<FluxObject>(
    ks,
    (o) => isReady(o) && o.status?.lastAppliedRevision === first.revision,
    `Ready=True having applied ${first.revision}`,
  );
  assert.equal(ready(ksReady)?.message, `Applied revision: ${first.revision}`);
  const core = env.kubeConfig().makeApiClient(CoreV1Api);
  assert.equal((await core.readNamespacedConfigMap({ name: 'smoke', namespace: env.namespace })).data?.commit, '1');

  const second = await env.pushCommit(
    { 'app/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\ndata:\n  commit: "2"\n' },
    'second commit',
  );
  assert.notEqual(second.revision, first.revision);

  for (const obj of [repo, ks]) {
    const requestedAt = new Date().toISOString();
    await env.mergePatch(obj, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt } } });
    const handled = await env.waitFor<FluxObject>(
      obj,
      (o) =>
        o.status?.lastHandledReconcileAt === requestedAt &&
        isReady(o) &&
        (o.status?.artifact?.revision ?? o.status?.lastAppliedRevision) === second.revision,
      `lastHandledReconcileAt=${requestedAt} and revision ${second.revision}`,
    );
    assert.equal(handled.status?.lastHandledReconcileAt, requestedAt);
  }
  assert.equal((await core.readNamespacedConfigMap({ name: 'smoke', namespace: env.namespace })).data?.commit, '2');
});
