// Bounded work on huge or hostile documents (issue 11): a burst of editor changes is parsed once,
// only the first fluxGitops.validation.maxDocumentsPerFile documents are parsed and checked (and a
// diagnostic says so), nesting past MAX_NESTING is reported instead of overflowing the stack, and
// the characters Flux's YAML parser rejects are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { DocumentStore } from '../../../server/src/documents/store';
import { MAX_NESTING, parseSection } from '../../../server/src/documents/section';
import { codes, engineWithCrds, open } from './helpers';

const configMap = (i: number): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  k: [${i}]\n`;

test('a burst of editor changes is parsed once, when the file is next read', () => {
  const store = new DocumentStore();
  const parses: number[] = [];
  store.onDidChange((change) => parses.push(change.file?.version ?? -1));
  store.openDocument('u', 'a: 1\n', 1);
  for (let v = 2; v <= 11; v++) store.changeDocument('u', [{ text: `a: ${v}\n` }], v);
  assert.deepEqual(parses, [1], 'nothing parsed while the changes come');
  assert.equal(store.get('u')?.text, 'a: 11\n');
  assert.deepEqual(parses, [1, 11], 'one parse, of the latest version');
  store.get('u');
  assert.deepEqual(parses, [1, 11]);
});

test('only the first maxDocumentsPerFile documents are parsed and checked; one diagnostic says where checking stops', async () => {
  const engine = await engineWithCrds();
  await engine.updateSettings({ validation: { maxDocumentsPerFile: 3 } });
  const uri = open(engine, Array.from({ length: 5 }, (_, i) => configMap(i)).join('---\n'));
  const diagnostics = engine.diagnostics(uri);
  // Each document's `k: [i]` is a list where ConfigMap data wants a string; document 4 starts at line 21 (its `---`).
  assert.deepEqual(codes(diagnostics), ['6:wrong-type', '13:wrong-type', '20:wrong-type', '21:document-limit']);
  const limit = diagnostics.at(-1)!;
  assert.equal(limit.severity, DiagnosticSeverity.Information);
  assert.equal(limit.message, 'validation limited to the first 3 documents (fluxGitops.validation.maxDocumentsPerFile): the 2 after them are not checked');
  assert.deepEqual(limit.range, { start: { line: 20, character: 0 }, end: { line: 20, character: 3 } });
  assert.equal(engine.hover(uri, { line: 22, character: 2 }), undefined, 'nothing is known past the limit');
  assert.deepEqual(engine.index.find('ConfigMap', 'c3'), [], 'nor indexed');
  assert.ok(engine.hover(uri, { line: 15, character: 2 }), 'the documents before it answer');

  await engine.updateSettings({ maxProblems: 2 });
  assert.deepEqual(codes(engine.diagnostics(uri)), ['6:wrong-type', '21:document-limit'], 'said even when maxProblems is reached');
  await engine.updateSettings({ maxProblems: 1000, validation: { maxDocumentsPerFile: 5 } });
  assert.deepEqual(codes(engine.diagnostics(uri)), ['6:wrong-type', '13:wrong-type', '20:wrong-type', '27:wrong-type', '34:wrong-type']);
  assert.equal(engine.index.find('ConfigMap', 'c3').length, 1);
});

test(`nesting: ${MAX_NESTING} levels are checked, deeper is a warning where the limit is passed`, () => {
  const nested = (levels: number): string => Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' [1]\n';
  // The last key's value is a flow sequence: one more level than the keys.
  const atLimit = parseSection(nested(MAX_NESTING - 1), 0, 0);
  assert.deepEqual([atLimit.doc.errors, atLimit.doc.warnings], [[], []]);
  assert.ok(atLimit.doc.contents);
  const past = parseSection(nested(MAX_NESTING), 0, 0);
  assert.equal(past.doc.contents, null, 'no tree is built');
  assert.deepEqual(past.doc.warnings.map((w) => [w.code, w.message, w.pos[0]]), [['RESOURCE_EXHAUSTION', `nesting deeper than ${MAX_NESTING} levels is not checked`, nested(MAX_NESTING).lastIndexOf('[')]]);
});

test('20,000 levels of flow nesting and 2,000 of block nesting: one warning, every feature answers', async () => {
  const engine = await engineWithCrds('v2.9');
  const texts = [
    `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
    `apiVersion: v1\nkind: ConfigMap\ndata: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`,
    Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}- `).join('\n') + 'x\n',
  ];
  for (const text of texts) {
    const uri = open(engine, text);
    assert.deepEqual(engine.diagnostics(uri).map((d) => `${d.code} ${d.message}`), [`nesting-limit nesting deeper than ${MAX_NESTING} levels is not checked`]);
    for (const line of [0, 2, 1500]) {
      engine.hover(uri, { line, character: 20 });
      engine.completion(uri, { line, character: 20 });
    }
    engine.symbols(uri);
    engine.folding(uri);
  }
});

test('control characters are errors and U+FFFD a warning, one per line, each naming its line', async () => {
  const engine = await engineWithCrds();
  // Tab, CR (in CRLF) and NEL are YAML line breaks or white space: allowed.
  const uri = open(engine, 'a: "x\u0000y\u0001"\r\nb: "\t\u0085"\nc: caf\ufffd\nd: "\u007f"\ne: "\ufffe"\n');
  assert.deepEqual(
    engine.diagnostics(uri).map((d) => [d.range.start.line, d.range.start.character, d.severity, d.code, d.message]),
    [
      [0, 5, DiagnosticSeverity.Error, 'control-character', 'NUL character (U+0000) on line 1: Flux cannot read this file (YAML allows no control characters)'],
      [2, 6, DiagnosticSeverity.Warning, 'invalid-utf8', 'U+FFFD on line 3: the file is probably not valid UTF-8 (invalid bytes read as U+FFFD), which Flux cannot read'],
      [3, 4, DiagnosticSeverity.Error, 'control-character', 'control character U+007F on line 4: Flux cannot read this file (YAML allows no control characters)'],
      [4, 4, DiagnosticSeverity.Error, 'control-character', 'character U+FFFE on line 5: Flux cannot read this file (YAML allows no control characters)'],
    ],
  );
  const binary = open(engine, Array.from({ length: 10_000 }, (_, i) => `k${i}: "\u0000"\n`).join(''));
  assert.equal(engine.diagnostics(binary).length, 100, 'at most 100 per document');
});
