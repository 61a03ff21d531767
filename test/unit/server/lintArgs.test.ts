import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLintArgs } from '../../../server/src/cli/lint';
import { UsageError } from '../../../server/src/cli/command';
import { formatJson } from '../../../server/src/cli/format/json';
import { formatSarif } from '../../../server/src/cli/format/sarif';

test('lint arguments: DIR, repeatable --crds (both spellings), --format', () => {
  assert.deepEqual(parseLintArgs(['repo', '--crds', 'a', '--crds=b', '--format', 'sarif']), { dir: 'repo', crds: ['a', 'b'], format: 'sarif' });
  assert.deepEqual(parseLintArgs(['--format=json', 'repo']), { dir: 'repo', crds: [], format: 'json' });
  for (const bad of [[], ['a', 'b'], ['a', '--crds'], ['a', '--format', 'xml'], ['a', '--what'], ['a', '--crds='], ['a', '--format', 'toString'], ['a', '--format=constructor']]) {
    assert.throws(() => parseLintArgs(bad), UsageError, bad.join(' '));
  }
});

test('JSON keeps exactly the documented fields; SARIF maps severities to levels', () => {
  const problem = { file: 'a/b.yaml', line: 2, column: 3, endLine: 2, endColumn: 9, severity: 'hint' as const, code: 'x', message: 'm' };
  assert.deepEqual(JSON.parse(formatJson([{ ...problem, extra: 1 } as typeof problem], '0')), [problem]);
  const sarif = JSON.parse(formatSarif([problem, { ...problem, severity: 'error', code: 'y' }], '1.2.3'));
  assert.equal(sarif.runs[0].tool.driver.version, '1.2.3');
  assert.deepEqual(sarif.runs[0].results.map((r: { level: string; ruleIndex: number }) => [r.level, r.ruleIndex]), [['note', 0], ['error', 1]]);
});
