import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { appliedFiles, normaliseSourcePath, treeOfFiles, type KustomizeTree } from '../../../server/src/kustomize/appliedFiles';

const fixtures = path.resolve(__dirname, '../../..', '../shared/fixtures');
const example = path.join(fixtures, 'repos/flux2-kustomize-helm-example');

/** An in-memory tree: path → YAML text. */
function memoryTree(files: Record<string, string>): KustomizeTree {
  return treeOfFiles(Object.keys(files), (f) => parse(files[f] ?? ''));
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

test('the example repo: apps/production pulls base/podinfo through ../base with its namespace', () => {
  const files = walk(example).filter((f) => /\.ya?ml$/.test(f));
  const tree = treeOfFiles(files, (f) => parse(readFileSync(f, 'utf8')));
  const result = appliedFiles(tree, path.join(example, 'apps/production'));
  assert.deepEqual(result.problems, []);
  assert.deepEqual(
    result.files.map((f) => [path.relative(example, f.file), f.namespace]),
    [['apps/base/podinfo/namespace.yaml', 'podinfo'], ['apps/base/podinfo/repository.yaml', 'podinfo'], ['apps/base/podinfo/release.yaml', 'podinfo']],
  );
  assert.deepEqual(result.patchFiles.map((f) => path.relative(example, f)), ['apps/production/podinfo-values.yaml']);
  assert.equal(result.kustomizationFiles.length, 2);
});

test('a folder without kustomization.yaml: every YAML file below, sub-kustomizations as units', () => {
  const tree = memoryTree({
    '/r/apps/a.yaml': 'kind: A',
    '/r/apps/notes.txt': 'x',
    '/r/apps/deep/b.yml': 'kind: B',
    '/r/apps/pkg/kustomization.yaml': 'namespace: pkg\nresources: [c.yaml]',
    '/r/apps/pkg/c.yaml': 'kind: C',
    '/r/apps/pkg/unused.yaml': 'kind: U',
  });
  const result = appliedFiles(tree, '/r/apps');
  const names = result.files.map((f) => f.file).sort();
  assert.deepEqual(names, ['/r/apps/a.yaml', '/r/apps/deep/b.yml', '/r/apps/pkg/c.yaml']);
  assert.equal(result.files.find((f) => f.file === '/r/apps/pkg/c.yaml')?.namespace, 'pkg');
});

test('outer kustomization namespace overrides inner ones; components and bases count', () => {
  const tree = memoryTree({
    '/r/k/kustomization.yaml': 'namespace: outer\nresources: [../base]\ncomponents: [../comp]',
    '/r/base/kustomization.yaml': 'namespace: inner\nbases: [x.yaml]',
    '/r/base/x.yaml': 'kind: X',
    '/r/comp/kustomization.yaml': 'kind: Component\nresources: [y.yaml]',
    '/r/comp/y.yaml': 'kind: Y',
  });
  const result = appliedFiles(tree, '/r/k');
  assert.deepEqual(result.files.map((f) => [f.file, f.namespace]), [['/r/base/x.yaml', 'outer'], ['/r/comp/y.yaml', 'outer']]);
});

test('missing entries, folders without kustomization.yaml and cycles are problems; remote ones are skipped', () => {
  const tree = memoryTree({
    '/r/k/kustomization.yaml': 'resources: [missing.yaml, ../plain, https://github.com/org/repo//deploy?ref=v1, github.com/org/repo, ../loop]\npatches: [{path: nope.yaml}]',
    '/r/plain/a.yaml': 'kind: A',
    '/r/loop/kustomization.yaml': 'resources: [../k]',
  });
  const result = appliedFiles(tree, '/r/k');
  assert.deepEqual(result.problems.map((p) => p.entry ?? p.message), ['missing.yaml', '../plain', 'kustomization files include each other in a cycle', 'nope.yaml']);
  assert.deepEqual(result.files, []);
});

test('a spec.path that does not exist', () => {
  const result = appliedFiles(memoryTree({ '/r/a.yaml': '' }), '/r/nope');
  assert.equal(result.problems[0]?.message, 'folder does not exist');
});

test('normaliseSourcePath drops ./, leading and trailing slashes', () => {
  assert.equal(normaliseSourcePath('./apps/prod/'), 'apps/prod');
  assert.equal(normaliseSourcePath('/apps'), 'apps');
  assert.equal(normaliseSourcePath(undefined), '');
  assert.equal(normaliseSourcePath('./'), '');
});
