// CRD `pattern`s are Go regular expressions (the API server checks them with Go's regexp): read
// with Go's syntax and meaning through the real validation path; a pattern Go cannot compile
// checks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { engineWithWidgets, widget } from '../../support/widgetCrd';
import { codes, open } from './helpers';

test('CRD patterns keep their Go meaning: \\pL, POSIX classes, (?i), \\Q…\\E, unanchored', async () => {
  const engine = await engineWithWidgets({
    letters: '^\\pL+$',
    posix: '^[[:alpha:]]+$',
    caseless: '^(?i)flux$',
    quoted: '^\\Q1.0+\\E$',
    anywhere: 'ok',
  });
  const valid = widget({ letters: 'héllo', posix: 'abc', caseless: 'FLUX', quoted: '1.0+', anywhere: 'it is ok here' });
  assert.deepEqual(codes(engine.diagnostics(open(engine, valid))), []);
  const invalid = widget({ letters: 'h3llo', posix: 'a:b', caseless: 'flux2', quoted: '10+', anywhere: 'o k' });
  assert.deepEqual(codes(engine.diagnostics(open(engine, invalid))), ['6:pattern-mismatch', '7:pattern-mismatch', '8:pattern-mismatch', '9:pattern-mismatch', '10:pattern-mismatch']);
});

test('a CRD pattern Go cannot compile (lookahead, backreference) checks nothing', async () => {
  const engine = await engineWithWidgets({ lookahead: '^(?!forbidden)', backreference: '^(a)\\1$' });
  assert.deepEqual(codes(engine.diagnostics(open(engine, widget({ lookahead: 'forbidden', backreference: 'ab' })))), []);
});
