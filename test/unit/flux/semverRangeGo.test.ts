// The Masterminds grammar runs on Go's regexp engine in Flux; so does ours (re2js): Go's `\s` is
// ASCII whitespace only. The existing behaviour is pinned by semverRange.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSemverRange } from '../../../server/src/flux/semverRange';

test('only ASCII whitespace separates terms, as in Go (a no-break or ideographic space is improper)', () => {
  for (const space of [' ', '\t', '\n', '\r', '\f']) assert.equal(parseSemverRange(`>=1.0.0${space}<2.0.0`).ok, true, JSON.stringify(space));
  for (const space of ['\u00a0', '\u3000', '\v', '\u2028']) {
    const result = parseSemverRange(`>=1.0.0${space}<2.0.0`);
    assert.deepEqual(result, { ok: false, error: `improper constraint: >=1.0.0${space}<2.0.0` }, JSON.stringify(space));
  }
});
