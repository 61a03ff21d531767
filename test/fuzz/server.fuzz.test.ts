// Robustness through the real wire: the built server (`dist/cli.js lsp --stdio`) gets the hostile
// inputs and a seeded sample of fixture mutants over LSP, each opened, edited incrementally
// (a random span replaced), asked for completion and hover at random positions and closed. Asserted:
// every request is answered without an error response, diagnostics arrive for every version and lie
// inside the text, each document finishes within the hang bound, and the process is still alive at
// the end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { LspClient } from '../support/lspClient';
import { seededRandom } from '../support/seededRandom';
import { rangeInside } from './ranges';
import { BOUND_DESCRIPTION, boundMs, FIXTURES, fixtureInputs, hostileInputs, mutate } from './corpus';

const CLI = resolve(__dirname, '../../dist/cli.js');
const SEED = 20261123;
const MUTANTS = 24;
/** Covered by the engine fuzz test; over the wire it would only add seconds of parsing. */
const ENGINE_ONLY = new Set(['one sequence of 50,000 items']);

test('the server over stdio survives hostile inputs and fixture mutants, answering every request', async (t) => {
  const random = seededRandom(SEED);
  const int = (n: number) => Math.floor(random() * n);
  const fixtures = fixtureInputs();
  const mutants = Array.from({ length: MUTANTS }, (_, i) => mutate(fixtures[int(fixtures.length)]!, 1, SEED + i)[0]!);
  const inputs = [...hostileInputs(SEED).filter((h) => !ENGINE_ONLY.has(h.name)), ...mutants];

  const crds = join(FIXTURES, 'flux-crds/v2.9');
  const client = LspClient.spawn(process.execPath, [CLI, 'lsp', '--stdio'], {
    configuration: (section) => (section === 'fluxGitops' ? { crdPaths: [crds] } : null),
    timeoutMs: 60_000,
  });
  const failures: string[] = [];
  let slowest = { ms: 0, name: '' };
  try {
    await client.initialize(null);
    for (const [i, input] of inputs.entries()) {
      const uri = pathToFileURL(`/nonexistent/fuzz-${i}.yaml`).href;
      const start = performance.now();
      try {
        const doc = TextDocument.create(uri, 'yaml', 1, input.text);
        const opened = await client.diagnostics(uri, client.open(uri, input.text));
        const misplaced = opened.diagnostics.find((d) => !rangeInside(doc, d.range));
        if (misplaced) failures.push(`${input.name}: diagnostic outside the text ${JSON.stringify(misplaced.range)}`);
        const from = int(input.text.length + 1);
        const to = Math.min(input.text.length, from + int(100));
        const replacement = ['', ':', '\n  - ', '\t', '{', 'spec:\n  ', '*a'][int(7)]!;
        const version = client.change(uri, [{ range: { start: doc.positionAt(from), end: doc.positionAt(to) }, text: replacement }]);
        await client.diagnostics(uri, version);
        const edited = TextDocument.update(doc, [{ range: { start: doc.positionAt(from), end: doc.positionAt(to) }, text: replacement }], version);
        for (let k = 0; k < 4; k++) {
          const position = edited.positionAt(int(edited.getText().length + 1));
          await client.completion(uri, position);
          await client.hover(uri, position);
        }
        client.close(uri);
      } catch (error) {
        failures.push(`${input.name}: ${error instanceof Error ? error.message.slice(0, 500) : String(error)}`);
      }
      const ms = performance.now() - start;
      // Two full parses (open and edit) of the document: twice the engine's hang bound.
      const bound = 2 * boundMs(input.text);
      if (ms > bound) failures.push(`${input.name}: ${ms.toFixed(0)} ms > ${bound} ms`);
      if (ms > slowest.ms) slowest = { ms, name: input.name };
    }
    // Still alive and answering after everything.
    const uri = pathToFileURL('/nonexistent/after.yaml').href;
    await client.diagnostics(uri, client.open(uri, 'apiVersion: v1\nkind: ConfigMap\n'));
  } finally {
    t.diagnostic(`${inputs.length} documents over stdio, slowest ${slowest.ms.toFixed(1)} ms (${slowest.name.slice(0, 100)}); per-document bound twice ${BOUND_DESCRIPTION}`);
    await client.shutdown();
  }
  assert.deepEqual(failures, [], `${failures.slice(0, 10).join('\n')}\n--- server stderr ---\n${client.stderr.slice(-3000)}`);
});

test('typing a Flux object character by character, without waiting, ends with the diagnostics of a fresh open', async () => {
  const base = fixtureInputs().find((f) => f.name.endsWith('clusters/production/apps.yaml')) ?? fixtureInputs()[0]!;
  const typed =
    '---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: typed\n  namespace: default\n' +
    'spec:\n  interval: 5 minutes\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: HelmRepository\n        name: podinfo\n';
  const crds = join(FIXTURES, 'flux-crds/v2.9');
  const client = LspClient.spawn(process.execPath, [CLI, 'lsp', '--stdio'], {
    configuration: (section) => (section === 'fluxGitops' ? { crdPaths: [crds] } : null),
    timeoutMs: 60_000,
  });
  try {
    await client.initialize(null);
    const uri = pathToFileURL('/nonexistent/typed.yaml').href;
    let doc = TextDocument.create(uri, 'yaml', 1, base.text);
    await client.diagnostics(uri, client.open(uri, base.text));
    // Hover answers once the initial load (the CRD paths) is done: the typed text and the fresh open
    // are then validated against the same schemas, however soon the burst of changes is validated.
    await client.hover(uri, { line: 0, character: 0 });
    let version = 1;
    for (const char of typed) {
      const at = doc.positionAt(doc.getText().length);
      const change = { range: { start: at, end: at }, text: char };
      version = client.change(uri, [change]);
      doc = TextDocument.update(doc, [change], version);
    }
    const typedDiagnostics = (await client.diagnostics(uri, version)).diagnostics;
    const fresh = pathToFileURL('/nonexistent/fresh.yaml').href;
    const freshDiagnostics = (await client.diagnostics(fresh, client.open(fresh, doc.getText()))).diagnostics;
    assert.ok(typedDiagnostics.some((d) => d.code === 'pattern-mismatch'), 'the typed interval "5 minutes" must be reported');
    const strip = (ds: typeof typedDiagnostics) => ds.map((d) => ({ ...d, data: undefined, relatedInformation: undefined }));
    assert.deepEqual(strip(typedDiagnostics), strip(freshDiagnostics));
  } finally {
    await client.shutdown();
  }
});
