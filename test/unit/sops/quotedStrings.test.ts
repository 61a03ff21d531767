// withoutQuotedStrings (the check for comments in a flow-style mapping before encryption) is the
// linear form of a regex replace; the replace, fine on short texts, is the specification here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutQuotedStrings } from '../../../server/src/sops/normalize';
import { seededRandom } from '../../support/seededRandom';

const SPECIFICATION = /"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g;

test('quoted strings go as the regex replace removes them: escapes, unclosed quotes, line breaks', () => {
  for (const [text, kept] of [
    ['{a: "x # y", b: 1} # c', '{a: , b: 1} # c'],
    ["{a: 'it''s # x'}", '{a: }'],
    ['{a: x"y, # c}', '{a: x"y, # c}'],
    ['{a: x"\\"\\"}', '{a: x"\\"\\"}'],
    ['{a: "b\\\nc"}', '{a: "b\\\nc"}'],
    ["'a''", "'"],
  ]) {
    assert.equal(withoutQuotedStrings(text), kept, text);
    assert.equal(text.replace(SPECIFICATION, ''), kept, text);
  }
  const random = seededRandom(11);
  const pieces = ['"', "'", '\\', 'a', '#', ' ', '\n', '\r', '\u2028', 'é', '😀', "''", '\\"'];
  for (let i = 0; i < 20_000; i++) {
    let text = '';
    for (let n = 1 + Math.floor(random() * 14); n > 0; n--) text += pieces[Math.floor(random() * pieces.length)];
    assert.equal(withoutQuotedStrings(text), text.replace(SPECIFICATION, ''), JSON.stringify(text));
  }
});
