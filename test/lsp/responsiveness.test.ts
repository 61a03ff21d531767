// The built language server (`node dist/cli.js lsp --stdio`) on input meant to stall it: a burst of
// changes, a file of 200,000 documents, 2,000 levels of nesting, NUL bytes and invalid UTF-8.
// Bounds on time here are hang checks with a wide margin (the machine is shared), not speed targets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { LspClient } from '../support/lspClient';

const projectRoot = path.resolve(__dirname, '../..');
const cli = path.join(projectRoot, 'dist/cli.js');
let workspace: string;
let client: LspClient;

const summary = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => `${d.range.start.line + 1}:${d.severity}:${String(d.code)}`);
const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  workspace = mkdtempSync(path.join(tmpdir(), 'flux-gitops-responsiveness-'));
  client = LspClient.spawn(process.execPath, [cli, 'lsp', '--stdio'], { timeoutMs: 120_000 });
  await client.initialize(pathToFileURL(workspace).href);
  // Once the (empty) workspace is loaded nothing republishes on its own: every publication below answers a change.
  const warm = 'untitled:warm.yaml';
  await client.diagnostics(warm, client.open(warm, 'a: 1\n'));
  await client.hover(warm, { line: 0, character: 0 });
  await pause(200);
});

after(async () => {
  await client.shutdown();
  rmSync(workspace, { recursive: true, force: true });
});

test('a burst of 50 changes is validated once: diagnostics only for the final version', async () => {
  const uri = 'untitled:burst.yaml';
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: burst\ndata:\n  key: value\n';
  assert.deepEqual((await client.diagnostics(uri, client.open(uri, text))).diagnostics, []);
  const seen = client.publications.length;
  let version = 0;
  // 49 keystrokes that leave the document valid, then one that makes line 7 repeat a key.
  // Written at once (one write to the pipe), as a burst reaches the server while it is busy.
  version = client.burst(() => {
    for (let i = 0; i < 49; i++) client.change(uri, [{ range: { start: { line: 5, character: 12 + i }, end: { line: 5, character: 12 + i } }, text: 'x' }]);
    return client.change(uri, [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: '  key: again\n' }]);
  });
  assert.equal(version, 51);
  const final = await client.diagnostics(uri, version);
  assert.deepEqual(summary(final.diagnostics), [`7:${DiagnosticSeverity.Error}:duplicate-key`]);
  await pause(500);
  const published = client.publications.slice(seen).filter((p) => p.uri === uri);
  assert.deepEqual(published.map((p) => p.version), [51], 'one publication, for the final version; none for versions 2 to 50');
});

test('a file of 200,000 documents: hover answers within a bound, the first 5,000 are validated and the limit is said', async () => {
  const uri = 'untitled:many.yaml';
  const docs: string[] = [];
  // Every document has an error (an integer where a string must be), so the limit shows in the count too.
  for (let i = 0; i < 200_000; i++) docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: [${i}]\n`);
  const opened = performance.now();
  const version = client.open(uri, docs.join('---\n'));
  const hover = await client.hover(uri, { line: 1, character: 2 });
  const hoverMs = performance.now() - opened;
  assert.ok(hover, 'hover on `kind` of the first document answers');
  assert.ok(hoverMs < 20_000, `hover answered after ${Math.round(hoverMs)} ms (200,000 documents, unbounded, took over a minute)`);
  const { diagnostics } = await client.diagnostics(uri, version);
  const limit = diagnostics.filter((d) => d.code === 'document-limit');
  assert.deepEqual(
    limit.map((d) => [d.range.start.line, d.severity, d.message]),
    [[5000 * 7 - 1, DiagnosticSeverity.Information, 'validation limited to the first 5000 documents (fluxGitops.validation.maxDocumentsPerFile): the 195000 after them are not checked']],
  );
  const checked = new Set(diagnostics.filter((d) => d.code !== 'document-limit').map((d) => Math.floor(d.range.start.line / 7)));
  assert.ok(checked.size > 0 && Math.max(...checked) < 5000, 'no diagnostic after the 5,000th document');
  client.close(uri);
});

test('2,000 levels of nesting: a clear limit, no stack overflow, every feature answers', async () => {
  const texts = {
    block: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:\n`).join('') + `${' '.repeat(2000)}leaf: 1\n`,
    flow: `a: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
    sequence: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(2 * i)}-\n`).join('') + `${' '.repeat(4000)}x\n`,
  };
  for (const [style, text] of Object.entries(texts)) {
    const uri = `untitled:nested-${style}.yaml`;
    const { diagnostics } = await client.diagnostics(uri, client.open(uri, text));
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.code, d.message]),
      [[DiagnosticSeverity.Warning, 'nesting-limit', 'nesting deeper than 200 levels is not checked']],
      style,
    );
    await client.request('textDocument/documentSymbol', { textDocument: { uri } });
    await client.request('textDocument/foldingRange', { textDocument: { uri } });
    await client.hover(uri, { line: 300, character: 301 });
    await client.completion(uri, { line: 300, character: 301 });
    client.close(uri);
  }
  assert.doesNotMatch(client.stderr, /Maximum call stack|RangeError/);
});

test('NUL and other control characters are errors (Flux cannot read the file), U+FFFD a warning (invalid UTF-8, likely)', async () => {
  // Go's YAML parser, which Flux uses, fails on control characters ("control characters are not
  // allowed") and on invalid UTF-8; the JavaScript `yaml` library accepts both. The editor decodes
  // invalid UTF-8 as U+FFFD, which Go accepts when it is really there: a warning, not an error.
  const uri = 'untitled:bytes.yaml';
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bytes\ndata:\n  nul: "a\u0000b"\n  bad: caf\ufffd\n  bell: "\u0007"\n';
  const { diagnostics } = await client.diagnostics(uri, client.open(uri, text));
  assert.deepEqual(
    diagnostics.map((d) => [d.range.start.line + 1, d.range.start.character, d.severity, d.code, d.message]),
    [
      [6, 9, DiagnosticSeverity.Error, 'control-character', 'NUL character (U+0000) on line 6: Flux cannot read this file (YAML allows no control characters)'],
      [7, 10, DiagnosticSeverity.Warning, 'invalid-utf8', 'U+FFFD on line 7: the file is probably not valid UTF-8 (invalid bytes read as U+FFFD), which Flux cannot read'],
      [8, 9, DiagnosticSeverity.Error, 'control-character', 'control character U+0007 on line 8: Flux cannot read this file (YAML allows no control characters)'],
    ],
  );
  client.close(uri);
});

test('lint reports invalid UTF-8 bytes and NUL bytes of a file on disk, with their lines', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'flux-gitops-bytes-'));
  try {
    const bytes = Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bytes\ndata:\n  bad: caf'), Buffer.from([0xe9]), Buffer.from('\n  nul: "a'), Buffer.from([0]), Buffer.from('b"\n')]);
    writeFileSync(path.join(folder, 'bytes.yaml'), bytes);
    const result = spawnSync(process.execPath, [cli, 'lint', folder, '--format', 'json'], { encoding: 'utf8', timeout: 60_000 });
    const problems = JSON.parse(result.stdout) as { line: number; severity: string; code: string }[];
    assert.deepEqual(problems.map((p) => `${p.line}:${p.severity}:${p.code}`), ['6:warning:invalid-utf8', '7:error:control-character']);
    assert.equal(result.status, 1, 'a file Flux cannot read fails lint');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
