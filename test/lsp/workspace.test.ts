// Workspace changes reaching the built server: watched-file events and workspace folders added at
// run time, each making a CRD a schema source for an open document.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient, type Publication } from '../support/lspClient';

const projectRoot = path.resolve(__dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-ws-'));
let client: LspClient;

function widgetCrd(group: string): string {
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
`;
}

async function next(uri: string, after: number, ok: (p: Publication) => boolean): Promise<Publication> {
  for (let tries = 0; tries < 1200; tries++) {
    const found = client.publications.find((p) => p.uri === uri && p.seq > after && ok(p));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no matching publication for ${uri}: ${client.stderr}`);
}

before(async () => {
  mkdirSync(path.join(root, 'a'));
  mkdirSync(path.join(root, 'b'));
  client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], { timeoutMs: 60_000 });
  await client.initialize(pathToFileURL(path.join(root, 'a')).href);
});

after(async () => {
  await client.shutdown();
  rmSync(root, { recursive: true, force: true });
});

test('a CRD file created in the workspace (watched-file event) validates the open objects of its kind', async () => {
  const uri = pathToFileURL(path.join(root, 'a', 'widget.yaml')).href;
  const opened = await client.diagnostics(uri, client.open(uri, 'apiVersion: a.example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n'));
  assert.deepEqual(opened.diagnostics, []);
  const crdFile = path.join(root, 'a', 'crd.yaml');
  writeFileSync(crdFile, widgetCrd('a.example.com'));
  const seq = client.publications.at(-1)?.seq ?? 0;
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(crdFile).href, type: 1 }] });
  const published = await next(uri, seq, (p) => p.diagnostics.length > 0);
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['wrong-type']);
  rmSync(crdFile);
  const seq2 = client.publications.at(-1)!.seq;
  client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(crdFile).href, type: 3 }] });
  assert.deepEqual((await next(uri, seq2, (p) => p.diagnostics.length === 0)).diagnostics, []);
});

test('a workspace folder added at run time is scanned for CRDs', async () => {
  writeFileSync(path.join(root, 'b', 'crd.yaml'), widgetCrd('b.example.com'));
  const uri = 'untitled:b-widget.yaml';
  const opened = await client.diagnostics(uri, client.open(uri, 'apiVersion: b.example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n'));
  assert.deepEqual(opened.diagnostics, []);
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: pathToFileURL(path.join(root, 'b')).href, name: 'b' }], removed: [] } });
  const published = await next(uri, opened.seq, (p) => p.diagnostics.length > 0);
  assert.deepEqual(published.diagnostics.map((d) => d.code), ['wrong-type']);
  client.notify('workspace/didChangeWorkspaceFolders', { event: { added: [], removed: [{ uri: pathToFileURL(path.join(root, 'b')).href, name: 'b' }] } });
  assert.deepEqual((await next(uri, published.seq, (p) => p.diagnostics.length === 0)).diagnostics, []);
});
