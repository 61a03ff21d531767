import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../../server/src/engine';
import type { FileSystem } from '../../../server/src/workspace/fileSystem';
import type { Rule } from '../../../server/src/features/context';
import { RULES } from '../../../server/src/features/validation/rules';
import { codes, engineWithCrds, fluxCrds, open } from './helpers';

const crdText = readFileSync(path.join(fluxCrds('v2.9'), 'source.toolkit.fluxcd.io_gitrepositories.yaml'), 'utf8');
const GIT_REPO = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: r}\nspec:\n  interval: 1m\n  url: https://x\n  bogus: 1\n';

/** An in-memory file system: paths to texts. */
function memoryFs(files: Record<string, string>): FileSystem {
  return {
    readFile: async (p) => {
      if (!(p in files)) throw new Error(`ENOENT ${p}`);
      return files[p]!;
    },
    readDirectory: async (dir) => {
      const names = new Map<string, boolean>();
      for (const f of Object.keys(files)) {
        if (!f.startsWith(dir + '/')) continue;
        const [first, ...rest] = f.slice(dir.length + 1).split('/');
        names.set(first!, rest.length > 0);
      }
      return [...names].map(([name, directory]) => ({ name, directory }));
    },
    writeFile: async (p, text) => void (files[p] = text),
    isDirectory: async (p) => Object.keys(files).some((f) => f.startsWith(p + '/')),
  };
}

test('counting rule runs: an edit re-validates only the changed section', async () => {
  const runs: number[] = [];
  const counting: Rule = { id: 'count', scope: 'section', run: (ctx) => (runs.push(ctx.section.index), []) };
  const engine = new Engine({ fs: memoryFs({}), rules: [...RULES, counting] });
  engine.openDocument('untitled:a', 'a: 1\n---\nb: 2\n---\nc: 3\n', 1);
  engine.diagnostics('untitled:a');
  assert.deepEqual(runs, [0, 1, 2]);
  runs.length = 0;
  engine.changeDocument('untitled:a', [{ range: { start: { line: 2, character: 3 }, end: { line: 2, character: 4 } }, text: '22' }], 2);
  engine.diagnostics('untitled:a');
  assert.deepEqual(runs, [1]);
});

test('cached diagnostics of a section that moved are shifted by whole lines, fixes included', async () => {
  const engine = await engineWithCrds();
  const uri = open(engine, 'x: 1\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRelease\n');
  assert.deepEqual(codes(engine.diagnostics(uri)), ['3:kind-not-in-group']);
  engine.changeDocument(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# one\n# two\n' }], 2);
  const [d] = engine.diagnostics(uri);
  assert.equal(d?.range.start.line, 4);
  const [action] = engine.codeActions(uri, d!.range, [d!]);
  assert.equal(action?.edit?.changes?.[uri]?.[0]?.range.start.line, 4);
});

test('a CRD in the workspace is a schema source; editing it re-validates the objects of its kind', async () => {
  const files = { '/ws/crds/git.yaml': crdText, '/ws/apps/repo.yaml': GIT_REPO };
  const engine = new Engine({ fs: memoryFs(files) });
  await engine.addWorkspaceFolder('/ws');
  const repo = 'file:///ws/apps/repo.yaml';
  engine.openDocument(repo, GIT_REPO, 1);
  assert.deepEqual(codes(engine.diagnostics(repo)), ['7:unknown-field']);
  const stale: string[][] = [];
  engine.onDiagnosticsStale((uris) => stale.push([...uris]));
  // The CRD now allows any field under spec: the open object's diagnostics go stale and change.
  const open = crdText.replace('\n          spec:\n            description:', '\n          spec:\n            x-kubernetes-preserve-unknown-fields: true\n            description:');
  assert.notEqual(open, crdText, 'the CRD edit applies');
  files['/ws/crds/git.yaml'] = open;
  await engine.fileChanged('file:///ws/crds/git.yaml', 'changed');
  assert.deepEqual(stale, [[repo]]);
  assert.deepEqual(engine.diagnostics(repo), []);
  await engine.fileChanged('file:///ws/crds/git.yaml', 'deleted');
  assert.deepEqual(engine.diagnostics(repo), [], 'without any CRD there is no schema');
});

test('schema sources by preference: live cluster over workspace over paths over built-in', async () => {
  const engine = new Engine({ fs: memoryFs({ '/p/crd.yaml': crdText }) });
  await engine.addCrdPaths(['/p']);
  assert.equal(engine.schemas.lookup('source.toolkit.fluxcd.io', 'v1', 'GitRepository')?.source, 'paths');
  const live = { ...(JSON.parse(JSON.stringify(require('yaml').parse(crdText))) as Record<string, unknown>) };
  void engine.setLiveCrds('prod', [live]);
  assert.equal(engine.schemas.lookup('source.toolkit.fluxcd.io', 'v1', 'GitRepository')?.source, 'live');
  void engine.setLiveCrds('prod', []);
  assert.equal(engine.schemas.lookup('source.toolkit.fluxcd.io', 'v1', 'GitRepository')?.source, 'paths');
  assert.equal(engine.schemas.lookup('apps', 'v1', 'Deployment')?.source, 'builtin');
});

test('file rules and index dependencies: a rule reading another kind re-runs when that kind changes', async () => {
  let runs = 0;
  const counting: Rule = {
    id: 'sources',
    scope: 'section',
    run: (ctx) => {
      runs++;
      if (ctx.object?.kind !== 'Kustomization') return [];
      const found = ctx.index.find('GitRepository', 'repo', 'ns').length;
      return found ? [] : [{ range: ctx.object.range, message: 'no repo', code: 'test-missing' }];
    },
  };
  const engine = new Engine({ fs: memoryFs({}), rules: [counting] });
  engine.openDocument('untitled:k', 'apiVersion: x/v1\nkind: Kustomization\nmetadata: {name: k, namespace: ns}\n', 1);
  assert.deepEqual(codes(engine.diagnostics('untitled:k')), ['1:test-missing']);
  runs = 0;
  engine.openDocument('untitled:other', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 1);
  assert.equal(codes(engine.diagnostics('untitled:k')).length, 1);
  assert.equal(runs, 0, 'served from cache: a ConfigMap is not a dependency');
  engine.openDocument('untitled:repo', 'apiVersion: x/v1\nkind: GitRepository\nmetadata: {name: repo, namespace: ns}\n', 1);
  assert.deepEqual(engine.diagnostics('untitled:k'), []);
});

test('a failing rule is logged and the others still report', async () => {
  const logged: string[] = [];
  const broken: Rule = { id: 'broken', scope: 'file', run: () => { throw new Error('boom'); } };
  const engine = new Engine({ fs: memoryFs({}), rules: [...RULES, broken], log: (m) => logged.push(m) });
  const uri = 'untitled:b';
  engine.openDocument(uri, 'a: [\n', 1);
  assert.deepEqual([...new Set(codes(engine.diagnostics(uri)).map((c) => c.split(':')[1]))], ['yaml-syntax']);
  assert.match(logged[0]!, /rule broken failed on untitled:b: Error: boom/);
});

test('kustomize patches are partial: no missing-required there', async () => {
  const patch = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app}\nspec:\n  values: {a: 1}\n';
  const files = {
    '/crds/hr.yaml': readFileSync(path.join(fluxCrds('v2.9'), 'helm.toolkit.fluxcd.io_helmreleases.yaml'), 'utf8'),
    '/ws/app/kustomization.yaml': 'resources: [../base]\npatches:\n  - path: patch.yaml\n',
    '/ws/app/patch.yaml': patch,
    '/ws/other/release.yaml': patch,
  };
  const engine = new Engine({ fs: memoryFs(files), flux: false });
  await engine.addCrdPaths(['/crds']);
  await engine.addWorkspaceFolder('/ws');
  assert.deepEqual(engine.diagnostics('file:///ws/app/patch.yaml'), []);
  assert.deepEqual(codes(engine.diagnostics('file:///ws/other/release.yaml')), ['4:missing-required']);
  // Dropping the patch entry makes the file a full object again.
  files['/ws/app/kustomization.yaml'] = 'resources: [../base]\n';
  await engine.fileChanged('file:///ws/app/kustomization.yaml', 'changed');
  assert.deepEqual(codes(engine.diagnostics('file:///ws/app/patch.yaml')), ['4:missing-required']);
});

test('a patch listed by a kustomization five folders up is partial too (one kustomize module: no depth limit)', async () => {
  const patch = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: app}\nspec:\n  values: {a: 1}\n';
  const files = {
    '/crds/hr.yaml': readFileSync(path.join(fluxCrds('v2.9'), 'helm.toolkit.fluxcd.io_helmreleases.yaml'), 'utf8'),
    '/ws/kustomization.yaml': 'resources: []\npatches:\n  - path: a/b/c/d/e/patch.yaml\npatchesStrategicMerge:\n  - |-\n    apiVersion: v1\n    kind: ConfigMap\n',
    '/ws/a/b/c/d/e/patch.yaml': patch,
  };
  const engine = new Engine({ fs: memoryFs(files), flux: false });
  await engine.addCrdPaths(['/crds']);
  await engine.addWorkspaceFolder('/ws');
  assert.deepEqual(engine.diagnostics('file:///ws/a/b/c/d/e/patch.yaml'), []);
});

test('removing a workspace folder forgets its files and their objects', async () => {
  const engine = new Engine({ fs: memoryFs({ '/a/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', '/b/y.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: y}\n' }) });
  await engine.addWorkspaceFolder('/a');
  await engine.addWorkspaceFolder('/b');
  assert.deepEqual(engine.index.byKind('ConfigMap').map((o) => o.name).sort(), ['x', 'y']);
  engine.removeWorkspaceFolder('/a');
  assert.deepEqual(engine.index.byKind('ConfigMap').map((o) => o.name), ['y']);
  assert.equal(engine.documents.get('file:///a/x.yaml'), undefined);
});

test('whenLoaded resolves once every tracked load has ended, failed ones included', async () => {
  const engine = new Engine({ fs: memoryFs({}) });
  await engine.whenLoaded();
  let finish: () => void = () => undefined;
  engine.trackLoading(new Promise<void>((r) => (finish = r)));
  engine.trackLoading(Promise.reject(new Error('scan failed')));
  let done = false;
  const waiting = engine.whenLoaded().then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(done, false);
  finish();
  await waiting;
  assert.equal(done, true);
});
