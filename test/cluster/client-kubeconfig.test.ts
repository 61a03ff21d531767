// Kubeconfig handling against the real API server: KUBECONFIG with several files, an exec
// credential plugin (here returning the admin's client certificate), one connection per context
// with its own identity, and the files never written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { systemClock } from '../../client/src/cluster/connection/clock';
import { Clusters } from '../../client/src/cluster/connection/clusters';
import { kubeconfigFiles, loadKubeConfig } from '../../client/src/cluster/connection/kubeconfig';
import { until } from './clientSupport';
import { createEnv, type ClusterEnv } from './env';

let env: ClusterEnv;
let dir: string;
let files: string[];
const clusters = new Clusters(systemClock, undefined, { initialMs: 200, maxMs: 2000, random: Math.random });

before(async () => {
  env = await createEnv('client-kc');
  await env.apply(env.fluxObjects().gitRepository);
  dir = mkdtempSync(join(tmpdir(), 'client-kc-'));
  const admin = loadKubeConfig([env.kubeconfigPath])!.config;
  const cluster = admin.getCurrentCluster()!;
  const user = admin.getCurrentUser()!;
  const credential = {
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: {
      clientCertificateData: Buffer.from(user.certData!, 'base64').toString('utf8'),
      clientKeyData: Buffer.from(user.keyData!, 'base64').toString('utf8'),
    },
  };
  writeFileSync(join(dir, 'credential.json'), JSON.stringify(credential));
  const plugin = join(dir, 'credential-plugin.sh');
  writeFileSync(plugin, `#!/bin/sh\ncat '${join(dir, 'credential.json')}'\n`);
  chmodSync(plugin, 0o755);
  const execConfig = [
    'apiVersion: v1',
    'kind: Config',
    'current-context: exec-admin',
    'clusters:',
    `- name: local\n  cluster:\n    server: ${cluster.server}\n    certificate-authority-data: ${cluster.caData}`,
    'users:',
    `- name: exec-user\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: ${plugin}\n      interactiveMode: Never`,
    'contexts:',
    '- name: exec-admin\n  context: {cluster: local, user: exec-user}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'exec.kubeconfig'), execConfig);
  files = [join(dir, 'exec.kubeconfig'), env.restrictedKubeconfigPath];
});
after(async () => {
  clusters.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await env?.dispose();
});

test('two KUBECONFIG files, every context shown, each with its own identity; the files stay untouched', async () => {
  const before = files.map((f) => [readFileSync(f, 'utf8'), statSync(f).mtimeMs] as const);
  const found = kubeconfigFiles({ KUBECONFIG: files.join(delimiter) }, undefined);
  clusters.load(found, { contexts: ['*'], namespaces: [env.namespace] });
  assert.deepEqual(clusters.sessions.map((s) => s.context), ['exec-admin', 'flux-gitops-restricted@flux-gitops-local']);
  const [exec, restricted] = clusters.sessions as [(typeof clusters.sessions)[0], (typeof clusters.sessions)[0]];
  for (const s of [exec, restricted]) {
    await until(s, () => s.get('GitRepository', env.namespace, 'fleet') !== undefined, `${s.context} lists the GitRepository`);
  }
  // The identities differ: only the exec-plugin admin may read CRDs cluster-wide.
  const crds = await exec.api.request<{ items: unknown[] }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  assert.ok(crds.items.length > 0);
  await assert.rejects(restricted.api.request('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions'), (e: { status?: number }) => e.status === 403);
  files.forEach((f, i) => {
    assert.equal(readFileSync(f, 'utf8'), before[i]![0], `${f} unchanged`);
    assert.equal(statSync(f).mtimeMs, before[i]![1], `${f} not rewritten`);
  });
  assert.equal(loadKubeConfig(found)!.config.getCurrentContext(), 'exec-admin', 'current-context as in the first file');
});
