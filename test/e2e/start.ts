// `npm start`: the product running, for a newcomer. Installs code-server if needed (cached), starts the
// local control plane when its binaries are built (test/setup/cluster.sh), shows a few Flux objects of the
// example fleet in it, and opens code-server with the packaged extension on a throwaway copy of the
// example fleet repository (a clone from the plane's Git server, so "is my commit live" has a HEAD to
// compare; a plain copy of ../shared/fixtures without the plane). Runs until Ctrl+C.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { startCluster, type Cluster } from '../cluster/env';
import { ensureSetup } from '../setup/ensure.mjs';
import { startCodeServer } from './support/code-server';
import { trackTempFolder } from './support/processes';
import { fixturesRoot, fleetExample, projectRoot } from './support/paths';

/** What the demo applies: the fleet repository as a source, one Kustomization that works, one that fails. */
function demoObjects(fleetUrl: string): KubernetesObject[] {
  const kustomization = (name: string, path: string) => ({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace: 'flux-system' },
    spec: { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'fleet' } },
  });
  return [
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'fleet', namespace: 'flux-system' },
      spec: { url: fleetUrl, interval: '1m', ref: { branch: 'main' } },
    },
    // The podinfo namespace, HelmRepository and HelmRelease (the HelmRepository cannot be fetched offline).
    kustomization('podinfo', './apps/base/podinfo'),
    // cert-manager and Gateway API objects whose CRDs the local plane does not have: a real failure.
    kustomization('infra-configs', './infrastructure/configs'),
  ] as KubernetesObject[];
}

async function applyDemo(cluster: Cluster): Promise<void> {
  const api = KubernetesObjectApi.makeApiClient(cluster.kubeConfig());
  for (const object of demoObjects(cluster.fleetRepoUrl)) {
    await api.patch(object, undefined, undefined, 'flux-gitops-start', true, PatchStrategy.ServerSideApply);
  }
}

async function main(): Promise<void> {
  await ensureSetup(['cluster', 'code-server']);
  const vsix = join(projectRoot, 'dist/flux-gitops.vsix');
  if (!existsSync(vsix)) throw new Error(`${vsix} is missing: run npm start (it packages first)`);

  // Removed when this process ends (Ctrl+C included), with code-server's folder inside it.
  const demo = trackTempFolder(await mkdtemp(join(tmpdir(), 'flux-gitops-demo-')));
  const workspace = join(demo, 'flux2-kustomize-helm-example');
  const env: Record<string, string> = {};
  let cluster: Cluster | undefined;
  try {
    console.log('starting the local control plane (test/cluster/up.sh)...');
    cluster = await startCluster();
  } catch (error) {
    console.log(`no local control plane, the Flux view will say so: ${(error as Error).message.split('\n')[0]}`);
  }
  if (cluster) {
    await applyDemo(cluster);
    execFileSync('git', ['clone', '--quiet', cluster.fleetRepoUrl, workspace], { stdio: 'inherit' });
    env.KUBECONFIG = cluster.kubeconfigPath;
  } else {
    await cp(fleetExample, workspace, { recursive: true });
  }

  const port = process.env.PORT ? Number(process.env.PORT) : undefined;
  const server = await startCodeServer({
    workspace,
    vsix,
    env,
    port,
    tempParent: demo,
    // The example's gotk-components.yaml are placeholders: take the Flux CRDs from the shared fixtures
    // (a live cluster's CRDs come first anyway).
    settings: existsSync(fixturesRoot) ? { 'fluxGitops.crdPaths': [join(fixturesRoot, 'flux-crds/v2.9')] } : {},
  });
  console.log(`
Flux GitOps is running in VS Code (code-server) at:

    ${server.url}

Workspace: ${workspace} (a throwaway copy, removed on exit)`);
  if (cluster) {
    console.log(`Cluster:   KUBECONFIG=${cluster.kubeconfigPath} (the local control plane keeps running; stop it with bash test/cluster/down.sh)`);
  }
  console.log('Press Ctrl+C to stop.');
  await new Promise<never>(() => undefined);
}

main().catch((error: unknown) => {
  console.error(`npm start failed: ${(error as Error).message}`);
  process.exit(1);
});
