// Kinds are discovered from the API server and followed: a Flux kind whose CRD is installed while
// the session runs (as during a Flux upgrade) is watched without a reload, and goes away with it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Clusters } from '../../client/src/cluster/connection/clusters';
import type { ContextSession } from '../../client/src/cluster/connection/contextSession';
import { HttpKubeApi } from '../../client/src/cluster/connection/transport';
import { configForContext, loadKubeConfig } from '../../client/src/cluster/connection/kubeconfig';
import { clientSession, until } from './clientSupport';
import { createEnv, type ClusterEnv } from './env';

// ArtifactGenerator (source.extensions.fluxcd.io, Flux 2.7+) is not among the plane's Flux 2.9 CRDs:
// a minimal CRD of that group and kind stands for the upgrade that brings it.
const CRD_NAME = 'artifactgenerators.source.extensions.fluxcd.io';
const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: CRD_NAME },
  spec: {
    group: 'source.extensions.fluxcd.io',
    names: { kind: 'ArtifactGenerator', listKind: 'ArtifactGeneratorList', plural: 'artifactgenerators', singular: 'artifactgenerator' },
    scope: 'Namespaced',
    versions: [{ name: 'v1beta1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
  },
};

let env: ClusterEnv;
let clusters: Clusters;
let session: ContextSession;
let admin: HttpKubeApi;

before(async () => {
  env = await createEnv('client-discovery');
  ({ clusters, session } = clientSession(env.kubeconfigPath, [env.namespace]));
  const loaded = loadKubeConfig([env.kubeconfigPath])!;
  admin = new HttpKubeApi(configForContext(loaded.config, loaded.config.currentContext));
  await until(session, () => session.state === 'ready', 'ready');
});
after(async () => {
  await admin?.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD_NAME}`).catch(() => undefined);
  admin?.close();
  clusters?.dispose();
  await env?.dispose();
});

test('a Flux CRD installed while running is discovered and watched; removing it drops the kind', async () => {
  assert.equal(session.typeOf('ArtifactGenerator'), undefined);
  await admin.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
  await until(session, () => session.typeOf('ArtifactGenerator')?.version === 'v1beta1' && session.state === 'ready', 'ArtifactGenerator discovered');
  // The API server may take a moment to serve a new CRD's endpoint: try again a few times.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.request('POST', `/apis/source.extensions.fluxcd.io/v1beta1/namespaces/${env.namespace}/artifactgenerators`, {
        body: { apiVersion: 'source.extensions.fluxcd.io/v1beta1', kind: 'ArtifactGenerator', metadata: { name: 'gen' }, spec: {} },
      });
      break;
    } catch (e) {
      if (attempt === 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  await until(session, () => session.get('ArtifactGenerator', env.namespace, 'gen') !== undefined, 'the new kind is watched');
  await admin.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD_NAME}`);
  await until(session, () => session.typeOf('ArtifactGenerator') === undefined && session.state === 'ready', 'ArtifactGenerator gone');
  assert.ok(session.typeOf('Kustomization'), 'the other kinds are still watched');
});
