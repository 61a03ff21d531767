// The disk cache of CRDs shared by every workspace (globalStoragePath/crd-cache.json): only live
// clusters' CRDs go there, per kubeconfig context, and they serve only while that context is the
// current one; a cached schema never overrides a newer source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine';
import { memoryFileSystem } from '../../support/memoryFileSystem';

/** A Kustomization CRD (v1) whose spec.interval has the given type. */
function kustomizationCrd(intervalType: 'integer' | 'string'): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'kustomizations.kustomize.toolkit.fluxcd.io' },
    spec: {
      group: 'kustomize.toolkit.fluxcd.io',
      names: { kind: 'Kustomization', plural: 'kustomizations' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { interval: { type: intervalType } } } } } },
        },
      ],
    },
  };
}

const KUSTOMIZATION = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 10m\n';
const integerError = (engine: Engine, uri: string): string[] =>
  engine.diagnostics(uri).map((d) => String(d.message)).filter((m) => m.includes('Expected an integer'));
const sourceOfKustomization = (engine: Engine): string | undefined => engine.schemas.lookup('kustomize.toolkit.fluxcd.io', 'v1', 'Kustomization')?.source;

/** Lets pending writes (and a debounce timer of up to `ms`, when timers are mocked) run. */
async function settle(tick?: (ms: number) => void): Promise<void> {
  tick?.(5000);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

test('a workspace CRD never reaches another workspace through the disk cache', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  // One disk: workspace A's files and the global storage.
  const disk = memoryFileSystem({ '/a/crds/kustomization.yaml': JSON.stringify(kustomizationCrd('integer')), '/a/apps.yaml': KUSTOMIZATION });
  // Workspace A defines Kustomization with an integer interval: its own objects are checked against it.
  const a = new Engine({ fs: disk, globalStoragePath: '/storage' });
  await a.addWorkspaceFolder('/a');
  a.openDocument('file:///a/apps.yaml', KUSTOMIZATION, 1);
  assert.equal(integerError(a, 'file:///a/apps.yaml').length, 1, 'workspace A uses its own CRD');
  await settle((ms) => t.mock.timers.tick(ms));
  // Workspace B (same global storage, no CRDs at all) opens later.
  const b = new Engine({ fs: disk, globalStoragePath: '/storage' });
  await b.loadCrdCache();
  b.openDocument('untitled:b.yaml', KUSTOMIZATION, 1);
  assert.deepEqual(integerError(b, 'untitled:b.yaml'), []);
  assert.equal(sourceOfKustomization(b), undefined, 'no Kustomization schema comes from A');
});

test('live CRDs are cached per context and serve only while that context is current', async () => {
  const disk = memoryFileSystem({});
  const first = new Engine({ fs: disk, globalStoragePath: '/storage' });
  await first.setLiveCrds('prod', [kustomizationCrd('integer')]);
  assert.equal(sourceOfKustomization(first), 'live');
  const file = JSON.parse(disk.files['/storage/crd-cache.json']!) as { version: number; clusters: Record<string, unknown> };
  assert.deepEqual(Object.keys(file.clusters), ['prod']);

  // The next window: no cluster reported yet, then another context, then prod.
  const next = new Engine({ fs: disk, globalStoragePath: '/storage' });
  await next.loadCrdCache();
  assert.equal(sourceOfKustomization(next), undefined, 'no current cluster: no cached schema');
  next.setCurrentCluster('staging');
  assert.equal(sourceOfKustomization(next), undefined, 'another cluster: no cached schema');
  next.setCurrentCluster('prod');
  assert.equal(sourceOfKustomization(next), 'cache');
  next.openDocument('untitled:k.yaml', KUSTOMIZATION, 1);
  assert.equal(integerError(next, 'untitled:k.yaml').length, 1, 'checked against the cached CRD of prod');
  next.setCurrentCluster(undefined);
  assert.deepEqual(integerError(next, 'untitled:k.yaml'), [], 'the cached schema leaves with its cluster');
});

test('switching context drops the previous context\'s live CRDs', async () => {
  const engine = new Engine({ fs: memoryFileSystem({}) });
  await engine.setLiveCrds('prod', [kustomizationCrd('integer')]);
  engine.setCurrentCluster('prod');
  assert.equal(sourceOfKustomization(engine), 'live');
  engine.setCurrentCluster('staging');
  assert.equal(sourceOfKustomization(engine), undefined);
});

test('a cached schema never overrides a newer source', async () => {
  const disk = memoryFileSystem({});
  // prod, as cached by an earlier session: interval is an integer there.
  await new Engine({ fs: disk, globalStoragePath: '/storage' }).setLiveCrds('prod', [kustomizationCrd('integer')]);

  // Order of sources: the workspace's CRD and crdPaths' CRD both win over the cached one.
  for (const source of ['workspace', 'paths'] as const) {
    const files = memoryFileSystem({ ...disk.files, '/ws/crd.yaml': JSON.stringify(kustomizationCrd('string')) });
    const engine = new Engine({ fs: files, globalStoragePath: '/storage' });
    await engine.loadCrdCache();
    engine.setCurrentCluster('prod');
    assert.equal(sourceOfKustomization(engine), 'cache');
    if (source === 'workspace') await engine.addWorkspaceFolder('/ws');
    else await engine.addCrdPaths(['/ws/crd.yaml']);
    assert.equal(sourceOfKustomization(engine), source);
    engine.openDocument('untitled:k.yaml', KUSTOMIZATION, 1);
    assert.deepEqual(integerError(engine, 'untitled:k.yaml'), [], `${source} CRD over the cache`);
  }

  // prod answers before the disk cache is read: the older copy on disk comes back neither in
  // this window's schemas nor in the file.
  const engine = new Engine({ fs: disk, globalStoragePath: '/storage' });
  engine.setCurrentCluster('prod');
  const written = engine.setLiveCrds('prod', [kustomizationCrd('string')]);
  await engine.loadCrdCache();
  await written;
  assert.equal(sourceOfKustomization(engine), 'live');
  engine.setCurrentCluster('prod');
  assert.equal(sourceOfKustomization(engine), 'live');
  const cached = JSON.parse(disk.files['/storage/crd-cache.json']!) as { clusters: Record<string, { crds: unknown[] }> };
  assert.deepEqual(cached.clusters['prod']!.crds, [kustomizationCrd('string')]);
});

test('a CRD cache file of an earlier release (a bare array, workspace CRDs included) is ignored', async () => {
  const disk = memoryFileSystem({ '/storage/crd-cache.json': JSON.stringify([kustomizationCrd('integer')]) });
  const engine = new Engine({ fs: disk, globalStoragePath: '/storage' });
  await engine.loadCrdCache();
  engine.setCurrentCluster('prod');
  assert.equal(sourceOfKustomization(engine), undefined);
});
