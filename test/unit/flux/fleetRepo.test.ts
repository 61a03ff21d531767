// The example fleet repository (read from ../shared at test time) through the Flux model: ExternalArtifact
// sources resolved through the ArtifactGenerator copies, every reference found, and no Flux finding at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Engine } from '../../../server/src/engine';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';
import { uriToPath } from '../../../server/src/workspace/uri';
import { fluxCodes } from './workspace';

const repo = path.resolve(__dirname, '../../..', '../shared/fixtures/repos/flux2-kustomize-helm-example');

test('the example fleet repository: spec.path through ArtifactGenerator, all references resolved, no findings', async () => {
  const engine = new Engine({ fs: nodeFileSystem() });
  const model = engine.flux!;
  await engine.addWorkspaceFolder(repo);
  const paths = model.kustomizations.map((k) => [
    path.relative(repo, uriToPath(k.flux.object.uri)!), k.flux.object.name, k.pathStatus, k.folder && path.relative(repo, k.folder),
  ]);
  const production = paths.filter((p) => String(p[0]).startsWith('clusters/production/'));
  assert.deepEqual(production, [
    ['clusters/production/apps.yaml', 'apps', 'found', 'apps/production'],
    ['clusters/production/infrastructure.yaml', 'infra-controllers', 'found', 'infrastructure/controllers'],
    ['clusters/production/infrastructure.yaml', 'infra-configs', 'found', 'infrastructure/configs'],
  ]);
  assert.ok(paths.every((p) => p[2] === 'found'), JSON.stringify(paths));
  const unresolved = model.references.filter((r) => r.targets.length === 0).map((r) => `${r.from.object.name}: ${r.site.kind}/${r.site.name}`);
  assert.deepEqual(unresolved, []);
  const release = model.appliedBy(engine.documents.uris().find((u) => u.endsWith('apps/base/podinfo/release.yaml'))!);
  assert.deepEqual(release.map((a) => [a.info.flux.object.name, a.namespace]).sort(), [['apps', 'podinfo'], ['apps', 'podinfo']]);
  const findings = engine.documents.uris().flatMap((uri) => fluxCodes(engine.diagnostics(uri)).map((c) => `${path.relative(repo, uriToPath(uri)!)}:${c}`));
  assert.deepEqual(findings, []);
});
