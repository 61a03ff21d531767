// Any input gives diagnostics, never an exception or a hang (each test has a generous hang bound;
// no speed is asserted here: speed is measured by the benchmarks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWithCrds, open } from './helpers';
import type { Engine } from '../../../server/src/engine';

/** Every feature at a few positions must answer without throwing. */
function exercise(engine: Engine, text: string): ReturnType<Engine['diagnostics']> {
  const uri = open(engine, text);
  const diagnostics = engine.diagnostics(uri);
  const lines = text.split('\n').length;
  for (const line of [0, Math.floor(lines / 2), lines - 1]) {
    const position = { line, character: 3 };
    engine.completion(uri, position);
    engine.hover(uri, position);
  }
  engine.symbols(uri);
  engine.folding(uri);
  engine.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: lines, character: 0 } }, diagnostics);
  return diagnostics;
}

const HANG_BOUND = { timeout: 120_000 };

test('malformed YAML, tabs and unterminated structures give syntax diagnostics', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  for (const text of ['a: [1, 2\nb: }\n', 'key:\n\t- tab indented\n', '"unterminated\n', 'a: b: c\n', '- a\nb: 1\n', '%YAML 9.9\n---\na: 1\n', 'a: &x 1\nb: *missing\n']) {
    const diagnostics = exercise(engine, text);
    assert.ok(diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'unknown-alias'), JSON.stringify(text));
  }
});

test('binary garbage and control characters', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const garbage = Array.from({ length: 20_000 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  assert.ok(Array.isArray(exercise(engine, garbage)));
  assert.ok(Array.isArray(exercise(engine, '\u0000\u0001---\n\uFFFE: \uD800\n')));
});

test('documents that are scalars, lists, empty or null have no schema errors', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  assert.deepEqual(exercise(engine, 'just a scalar\n---\n- a\n- b\n---\n---\n~\n---\n# only a comment\n'), []);
  assert.deepEqual(exercise(engine, 'apiVersion: v1\nkind: ConfigMap\nmetadata: ~\ndata:\n'), []);
});

test('a 50,000-line file: one document and many', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  const oneDocument = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big}\ndata:\n' + Array.from({ length: 50_000 }, (_, i) => `  key${i}: "value ${i}"`).join('\n') + '\n';
  assert.deepEqual(exercise(engine, oneDocument), []);
  const object = (i: number) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: r${i}\n  namespace: flux-system\nspec:\n  interval: ${i % 100 === 0 ? 'soon' : '1m'}\n  url: https://example.com/r${i}\n  ref:\n    branch: main\n`;
  const many = Array.from({ length: 5_000 }, (_, i) => object(i)).join('---\n');
  assert.ok(many.split('\n').length >= 50_000);
  const diagnostics = exercise(engine, many);
  assert.equal(diagnostics.filter((d) => d.code === 'pattern-mismatch').length, 50);
});

test('an anchors-and-aliases bomb is not expanded', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 12; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
  const bomb = levels.join('\n') + '\n';
  assert.ok(Array.isArray(exercise(engine, bomb)));
  assert.ok(Array.isArray(exercise(engine, `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n${bomb}`)));
  assert.ok(Array.isArray(exercise(engine, `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: *l\n${bomb}`)));
});

test('incremental edits of random size anywhere keep the model equal to a fresh parse', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  let text = 'a: 1\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\nb: [1]\n';
  const uri = open(engine, text);
  let seed = 11;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  const pieces = ['---\n', '\n', 'kind: Secret\n', ': ', '- ', '  ', '"', 'x', '{', ']', '&a ', '*a'];
  for (let i = 0; i < 300; i++) {
    const start = random(text.length + 1);
    const end = Math.min(text.length, start + random(6));
    const insert = pieces[random(pieces.length)]!;
    const before = text.slice(0, start).split('\n');
    const endBefore = text.slice(0, end).split('\n');
    engine.changeDocument(uri, [{ range: { start: { line: before.length - 1, character: before.at(-1)!.length }, end: { line: endBefore.length - 1, character: endBefore.at(-1)!.length } }, text: insert }], i + 2);
    text = text.slice(0, start) + insert + text.slice(end);
    assert.equal(engine.documents.get(uri)!.text, text);
    const fresh = open(engine, text);
    assert.deepEqual(engine.diagnostics(uri), engine.diagnostics(fresh), `after edit ${i}`);
    engine.documents.closeDocument(fresh);
  }
});

test('completion on a very long line and in a long flat mapping', HANG_BOUND, async () => {
  const engine = await engineWithCrds('v2.9');
  const long = 'a' + ' '.repeat(200_000) + 'b';
  const uri = open(engine, `key: ${long}\n${long}\n`);
  assert.deepEqual(engine.completion(uri, { line: 0, character: 100_000 }), []);
  assert.deepEqual(engine.completion(uri, { line: 1, character: 150_000 }), []);
  const flat = 'apiVersion: v1\nkind: ConfigMap\ndata:\n' + Array.from({ length: 20_000 }, (_, i) => `  k${i}: "v"`).join('\n') + '\n  ';
  const flatUri = open(engine, flat);
  assert.ok(Array.isArray(engine.completion(flatUri, { line: 20_003, character: 2 })));
});
