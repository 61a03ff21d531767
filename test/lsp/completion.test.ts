// Completion over the built server (`node dist/cli.js lsp --stdio`, built by `npm test`): enum values
// offered for a list item, from the real Flux 2.9 Kustomization CRD opened as a workspace document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { LspClient } from '../support/lspClient';

const projectRoot = path.resolve(__dirname, '../..');
const crdFile = path.resolve(projectRoot, '../shared/fixtures/flux-crds/v2.9/kustomize.toolkit.fluxcd.io_kustomizations.yaml');

let client: LspClient;

before(async () => {
  client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], { timeoutMs: 60_000 });
  await client.initialize(null);
  // An open CRD document is a schema source as soon as the server reads it, before the next message.
  client.open('untitled:kustomizations-crd.yaml', readFileSync(crdFile, 'utf8'));
});

after(async () => {
  await client.shutdown();
});

test('a list item of an enum field (spec.buildMetadata) is offered the enum values; accepting one leaves the item valid', async () => {
  const uri = 'untitled:build-metadata.yaml';
  const text =
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  buildMetadata:\n    - ';
  await client.diagnostics(uri, client.open(uri, text));
  const last = text.split('\n').length - 1;
  const items = await client.completion(uri, { line: last, character: 6 });
  assert.deepEqual(items.map((i) => i.label), ['originAnnotations', 'transformerAnnotations']);
  const edit = items[1]!.textEdit;
  assert.ok(edit && 'range' in edit, 'a text edit with a range');
  // Codes on the item's line (the rest of the file gets Flux hints about the workspace, not at stake here).
  const itemCodes = async (version: number) => (await client.diagnostics(uri, version)).diagnostics.filter((d) => d.range.start.line === last).map((d) => d.code);
  assert.deepEqual(await itemCodes(client.change(uri, [{ range: edit.range, text: edit.newText }])), []);
  const typo = { start: { line: last, character: 6 }, end: { line: last, character: 28 } };
  assert.deepEqual(await itemCodes(client.change(uri, [{ range: typo, text: 'transformer' }])), ['invalid-enum'], 'the schema checks that item against the same enum');
});

test('an item of an item of spec.buildMetadata (`- - `) gets no enum values; `-x` with the cursor after the dash is replaced whole', async () => {
  const uri = 'untitled:build-metadata-nested.yaml';
  const head = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\nspec:\n  buildMetadata:\n';
  await client.diagnostics(uri, client.open(uri, `${head}    - - \n`));
  const line = head.split('\n').length - 1;
  assert.deepEqual(await client.completion(uri, { line, character: 8 }), []);
  client.change(uri, [{ range: { start: { line, character: 0 }, end: { line, character: 8 } }, text: '    -x' }]);
  const item = (await client.completion(uri, { line, character: 5 })).find((i) => i.label === 'transformerAnnotations');
  assert.deepEqual(item?.textEdit, { range: { start: { line, character: 5 }, end: { line, character: 6 } }, newText: ' transformerAnnotations' });
});
