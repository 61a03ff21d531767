// The built language server over stdio (`node dist/cli.js lsp --stdio`, built by `npm test`),
// on files of the example fleet repository, with the Flux 2.9 CRDs as `fluxGitops.crdPaths`.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover, TextEdit } from 'vscode-languageserver';
import { LspClient, type Publication } from '../support/lspClient';

const projectRoot = path.resolve(__dirname, '../..');
const fixtures = path.resolve(projectRoot, '../shared/fixtures');
const repo = path.join(fixtures, 'repos/flux2-kustomize-helm-example');
const crds = path.join(fixtures, 'flux-crds/v2.9');
const uriOf = (p: string): string => pathToFileURL(path.join(repo, p)).href;

let client: LspClient;

/** The first publication for `uri` (from the latest change on) that satisfies `ok`; waits for more otherwise. */
async function publicationWhere(uri: string, version: number, ok: (p: Publication) => boolean): Promise<Publication> {
  const first = await client.diagnostics(uri, version);
  if (ok(first)) return first;
  // Diagnostics are published again when the workspace scan or a schema source completes.
  for (let tries = 0; ; tries++) {
    const found = client.publications.find((p) => p.uri === uri && p.seq > first.seq && ok(p));
    if (found) return found;
    if (client.stderr.includes('Error')) assert.fail(client.stderr);
    // A hang check, not a speed assertion: fail with what was published instead of waiting forever.
    const latest = client.publications.filter((p) => p.uri === uri).at(-1);
    assert.ok(tries < 1200, `${uri}: no publication as expected; the latest: ${JSON.stringify(latest?.diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)} ${d.message}`))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const codesOf = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`);

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (line: number, character: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0) + character;
  return [...edits]
    .sort((a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character))
    .reduce((t, e) => t.slice(0, offset(e.range.start.line, e.range.start.character)) + e.newText + t.slice(offset(e.range.end.line, e.range.end.character)), text);
}

before(async () => {
  client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], {
    configuration: (section) => (section === 'fluxGitops' ? { crdPaths: [crds] } : null),
    timeoutMs: 60_000,
  });
  const init = (await client.initialize(pathToFileURL(repo).href)) as { capabilities: { textDocumentSync: { change: number } } };
  assert.equal(init.capabilities.textDocumentSync.change, 2, 'incremental sync');
});

after(async () => {
  await client.shutdown();
});

test('fleet repo files have no diagnostics; a broken apiVersion gets kind-not-in-group and its quick fix repairs it', async () => {
  const uri = uriOf('apps/base/podinfo/release.yaml');
  const text = readFileSync(path.join(repo, 'apps/base/podinfo/release.yaml'), 'utf8');
  const opened = await publicationWhere(uri, client.open(uri, text), (p) => p.diagnostics.length === 0);
  assert.deepEqual(opened.diagnostics, []);

  const broken = text.replace('helm.toolkit.fluxcd.io/v2', 'source.toolkit.fluxcd.io/v1');
  const version = client.change(uri, [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 37 } }, text: 'source.toolkit.fluxcd.io/v1' }]);
  const published = await client.diagnostics(uri, version);
  assert.deepEqual(codesOf(published.diagnostics), ['1:kind-not-in-group']);
  const [diagnostic] = published.diagnostics;
  const actions = (await client.codeAction(uri, diagnostic!.range, [diagnostic!])) as CodeAction[];
  assert.equal(actions[0]?.title, 'Change apiVersion to helm.toolkit.fluxcd.io/v2');
  const edits = actions[0]!.edit!.changes![uri]!;
  assert.equal(applyEdits(broken, edits), text);

  const fixed = client.change(uri, edits.map((e) => ({ range: e.range, text: e.newText })));
  assert.deepEqual((await client.diagnostics(uri, fixed)).diagnostics, []);
  client.close(uri);
});

test('diagnostics are published after every change, with the document version, even when unchanged', async () => {
  const uri = uriOf('infrastructure/controllers/cert-manager.yaml');
  const text = readFileSync(path.join(repo, 'infrastructure/controllers/cert-manager.yaml'), 'utf8');
  await publicationWhere(uri, client.open(uri, text), (p) => p.diagnostics.length === 0);
  const line = text.split('\n').findIndex((l) => l.includes('interval: 24h'));
  const comment = client.change(uri, [{ range: { start: { line: 0, character: 3 }, end: { line: 0, character: 3 } }, text: ' # comment' }]);
  const same = await client.diagnostics(uri, comment);
  assert.equal(same.version, comment);
  assert.deepEqual(same.diagnostics, []);
  const bad = client.change(uri, [{ range: { start: { line, character: 12 }, end: { line, character: 15 } }, text: '1 day' }]);
  assert.deepEqual(codesOf((await client.diagnostics(uri, bad)).diagnostics), [`${line + 1}:pattern-mismatch`]);
  const symbols = (await client.request('textDocument/documentSymbol', { textDocument: { uri } })) as { name: string }[];
  assert.deepEqual(symbols.map((s) => s.name), ['Namespace/cert-manager', 'OCIRepository/cert-manager', 'HelmRelease/cert-manager']);
  const folds = (await client.request('textDocument/foldingRange', { textDocument: { uri } })) as { startLine: number }[];
  assert.ok(folds.length >= 6);
  client.close(uri);
});

test('completion in spec offers schema keys with snippets; hover describes the field', async () => {
  const uri = uriOf('apps/base/podinfo/repository.yaml');
  const text = readFileSync(path.join(repo, 'apps/base/podinfo/repository.yaml'), 'utf8');
  await publicationWhere(uri, client.open(uri, text), (p) => p.diagnostics.length === 0);
  const end = text.split('\n').length - 1;
  const version = client.change(uri, [{ range: { start: { line: end, character: 0 }, end: { line: end, character: 0 } }, text: '  ' }]);
  await client.diagnostics(uri, version);
  const items = await client.completion(uri, { line: end, character: 2 });
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('provider') && labels.includes('secretRef') && labels.includes('timeout'));
  assert.ok(!labels.includes('url') && !labels.includes('interval'), 'present keys are not offered');
  const secretRef = items.find((i) => i.label === 'secretRef')!;
  assert.equal(secretRef.insertTextFormat, 2);
  assert.deepEqual(secretRef.textEdit && 'newText' in secretRef.textEdit ? secretRef.textEdit.newText : undefined, 'secretRef:\n  name: ${1}');

  const hover = (await client.hover(uri, { line: text.split('\n').findIndex((l) => l.includes('interval')), character: 4 })) as Hover;
  assert.match((hover.contents as { value: string }).value, /\*\*interval\*\*: `string`/);
  const apiHover = (await client.hover(uri, { line: 0, character: 20 })) as Hover;
  assert.match((apiHover.contents as { value: string }).value, /HelmRepository\*\* `source\.toolkit\.fluxcd\.io\/v1`/);
  client.close(uri);
});

test('live cluster CRDs pushed by the client become the preferred schema source', async () => {
  const uri = 'untitled:live.yaml';
  const text = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: big\n';
  const opened = await client.diagnostics(uri, client.open(uri, text));
  assert.deepEqual(opened.diagnostics, []);
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'widgets.example.com' },
    spec: {
      group: 'example.com',
      scope: 'Namespaced',
      names: { kind: 'Widget', plural: 'widgets' },
      versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }],
    },
  };
  client.notify('fluxGitops/liveCrds', { context: 'test', crds: [crd] });
  const republished = await publicationWhere(uri, 1, (p) => p.diagnostics.length > 0);
  assert.deepEqual(codesOf(republished.diagnostics), ['5:wrong-type']);
  client.close(uri);
});
