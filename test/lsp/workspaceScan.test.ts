// The built language server indexing a workspace made to break the scan (a FIFO, a link to /, a link
// to a file outside, a file over `fluxGitops.scan.maxFileBytes`): the scan ends, each file left out
// is one warning in the output log, and the server keeps answering. (The index progress count is in
// test/unit/flux/indexProgress.test.ts: the test client does not take work-done progress.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from '../support/lspClient';

const projectRoot = path.resolve(__dirname, '../..');

test('files the scan leaves out are logged as warnings; the scan ends and the server answers', { timeout: 120_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-ws-scan-'));
  const outside = mkdtempSync(path.join(tmpdir(), 'flux-gitops-ws-outside-'));
  t.after(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });
  execFileSync('mkfifo', [path.join(root, 'pipe.yaml')]);
  symlinkSync('/', path.join(root, 'root'));
  writeFileSync(path.join(outside, 'secret.yaml'), 'token: abc\n');
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'secret.yaml'));
  writeFileSync(path.join(root, 'big.yaml'), `# ${'x'.repeat(2000)}\n`);
  // Indexed: its object is what the reference below needs.
  writeFileSync(path.join(root, 'source.yaml'), 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: app, namespace: flux-system}\nspec: {interval: 1m, url: https://example.com/app.git, ref: {branch: main}}\n');

  const logs: string[] = [];
  const client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], {
    timeoutMs: 60_000,
    configuration: (section) => (section === 'fluxGitops' ? { scan: { maxFileBytes: 1000 } } : null),
  });
  t.after(() => client.shutdown());
  client.onRequest('window/logMessage', (params) => void logs.push(`${(params as { type: number }).type} ${(params as { message: string }).message}`));
  await client.initialize(pathToFileURL(root).href);
  const uri = pathToFileURL(path.join(root, 'ks.yaml')).href;
  client.open(uri, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: app, namespace: flux-system}\nspec:\n  interval: 10m\n  timeout: 5m\n  retryInterval: 1m\n  path: ./\n  prune: true\n  sourceRef: {kind: GitRepository, name: app}\n');
  // Published again once the scan is over: then the reference resolves, as source.yaml was indexed.
  for (let tries = 0; !client.publications.some((p) => p.uri === uri && !p.diagnostics.some((d) => String(d.code).startsWith('flux-reference'))); tries++) {
    assert.ok(tries < 1200, `the scan did not end: ${logs.join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  // Type 2: a warning.
  const warnings = logs.filter((l) => l.startsWith('2 not indexed: ')).map((l) => l.slice('2 not indexed: '.length).replace(root + path.sep, '')).sort();
  assert.deepEqual(warnings, [
    'big.yaml: too large: 2003 bytes, over the limit of 1000 bytes (setting fluxGitops.scan.maxFileBytes)',
    'pipe.yaml: not a regular file (FIFO)',
    'root: symbolic link leaves the workspace',
    'secret.yaml: symbolic link leaves the workspace',
  ]);
});
