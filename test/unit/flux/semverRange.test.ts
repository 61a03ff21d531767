import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainSemverRange, parseSemverRange, rangeMatches, type SemverRange } from '../../../server/src/flux/semverRange';

// Ranges Masterminds/semver v3 NewConstraint accepts (so Flux does).
const ACCEPTED = [
  '1.0.x', '^1.2', '~1.2', '>=1.0.0 <2.0.0', '>=1.0.0, <2.0.0', '>=1.0.0,<2.0.0', '>= 1.0.0', '1.2.3', 'v1.2.3',
  '=v1.2.3', '*', 'x', '1.*', '1.2 - 1.4.5', '>=1.0 || <0.5', '~>1.2', '=>1.0', '=<1.0', '!=1.2.3',
  '>=1.0.0-0', '1.0.0-alpha.1', '1.0.0+build.1', '^1.2.3-beta.2', '1.2.3 - 2.3.4', '>=1.2.3 <=1.5 || ^2',
  '^1.2.3 < 2', '1.2.3 2.3.4', ' ^1 ', '1.X', '5.0.0-rc.1 - 5.1', '1.2-1.4',
];
// Ranges it rejects (so Flux reports the policy or chart as invalid).
const REJECTED = [
  '', ' ', 'latest', '>=1.0.0 ||', '|| 1.0', '1.2.3.4', '>>1', '>=a', '1.0.0-01', '1|2', '1.2.3,,2.0', '~=1.2',
  '==1.0', '1.2-', 'xx', '99999999999999999999.0.0', '>=1.0.0 <2.0.0 ,', '1.0.0-', 'stable', '>=1.0.0 && <2',
];

for (const input of ACCEPTED) {
  test(`accepts ${JSON.stringify(input)}`, () => {
    const result = parseSemverRange(input);
    assert.equal(result.ok, true, result.ok ? '' : result.error);
  });
}
for (const input of REJECTED) {
  test(`rejects ${JSON.stringify(input)}`, () => {
    const result = parseSemverRange(input);
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.error, /improper constraint/);
  });
}

function range(input: string): SemverRange {
  const result = parseSemverRange(input);
  if (!result.ok) throw new Error(result.error);
  return result.range;
}

// [range, versions that match, versions that do not]
const MATCHING: [string, string[], string[]][] = [
  ['1.0.x', ['1.0.0', '1.0.5'], ['1.1.0', '0.9.9']],
  ['^1.2', ['1.2.0', '1.9.0'], ['2.0.0', '1.1.9']],
  ['~1.2', ['1.2.0', '1.2.9'], ['1.3.0']],
  ['~1.2.3', ['1.2.3', '1.2.9'], ['1.2.2', '1.3.0']],
  ['>=1.0.0 <2.0.0', ['1.0.0', '1.99.0'], ['2.0.0', '0.9.0']],
  ['>=1.0.0, <2.0.0', ['1.5.0'], ['2.1.0']],
  ['!=1.2.3', ['1.2.4', '1.2.2'], ['1.2.3']],
  ['!=1.2.x', ['1.3.0', '1.1.9'], ['1.2.0', '1.2.7']],
  ['>=1.0.0', ['1.5.0', 'v1.5.0', '1.5'], ['1.5.0-rc.1', 'latest', 'main-abc123']],
  ['>=1.0.0-0', ['1.5.0-rc.1', '1.0.0'], ['0.9.0']],
  ['~1.2.0-alpha', ['1.2.5-beta', '1.2.0'], ['1.3.0-beta']],
  ['^0.2.3', ['0.2.3', '0.2.9'], ['0.3.0', '1.0.0']],
  ['^0.0.3', ['0.0.3'], ['0.0.4', '0.1.0']],
  ['1.2 - 1.4', ['1.2.0', '1.4.9'], ['1.5.0', '1.1.0']],
  ['>1.2', ['1.3.0'], ['1.2.9']],
  ['>1', ['2.0.0'], ['1.9.0']],
  ['<=1.2', ['1.2.9'], ['1.3.0']],
  ['*', ['0.0.1', '9.9.9'], ['1.0.0-rc.1']],
  ['>=2.0.0 || <1.0.0', ['2.1.0', '0.5.0'], ['1.5.0']],
  ['1.2.3', ['1.2.3', 'v1.2.3'], ['1.2.4']],
];
for (const [input, yes, no] of MATCHING) {
  test(`${input} selects the right versions`, () => {
    const r = range(input);
    for (const v of yes) assert.equal(rangeMatches(r, v), true, `${v} should match ${input}`);
    for (const v of no) assert.equal(rangeMatches(r, v), false, `${v} should not match ${input}`);
  });
}

test('explanation states bounds and the pre-release rule', () => {
  const text = explainSemverRange(range('^1.2'));
  assert.match(text, /at least 1\.2\.0 and less than 2\.0\.0/);
  assert.match(text, /never match/);
  const withPre = explainSemverRange(range('>=1.0.0-0 || ~2'));
  assert.match(withPre, /any of/);
  assert.match(withPre, /Pre-release versions are considered/);
});
