import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLintArgs } from '../../../server/src/cli/lint';
import { UsageError } from '../../../server/src/cli/command';
import { formatJson } from '../../../server/src/cli/format/json';
import { formatSarif } from '../../../server/src/cli/format/sarif';
import { DEFAULT_SCAN_LIMITS } from '../../../server/src/workspace/scan';

test('lint arguments: DIR, repeatable --crds (both spellings), --format, --strict, the scan limits', () => {
  const defaults = { strict: false, limits: DEFAULT_SCAN_LIMITS };
  assert.deepEqual(parseLintArgs(['repo', '--crds', 'a', '--crds=b', '--format', 'sarif']), { dir: 'repo', crds: ['a', 'b'], format: 'sarif', ...defaults });
  assert.deepEqual(parseLintArgs(['--format=json', 'repo']), { dir: 'repo', crds: [], format: 'json', ...defaults });
  assert.deepEqual(parseLintArgs(['repo', '--strict', '--max-file-size', '16M', '--max-files=5']), {
    dir: 'repo',
    crds: [],
    format: 'text',
    strict: true,
    limits: { maxFileBytes: 16 * 1024 * 1024, maxFiles: 5 },
  });
  for (const [size, bytes] of [['1000', 1000], ['2K', 2048], ['3KiB', 3072], ['1MiB', 1048576], ['1G', 1073741824]] as const) {
    assert.equal(parseLintArgs(['repo', `--max-file-size=${size}`]).limits.maxFileBytes, bytes, size);
  }
  for (const bad of [
    [], ['a', 'b'], ['a', '--crds'], ['a', '--format', 'xml'], ['a', '--what'], ['a', '--crds='], ['a', '--format', 'toString'], ['a', '--format=constructor'],
    ['a', '--strict=yes'], ['a', '--max-files', '0'], ['a', '--max-files', '1.5'], ['a', '--max-files', '-3'], ['a', '--max-files', '2K'],
    ['a', '--max-file-size', 'big'], ['a', '--max-file-size', '8MB'], ['a', '--max-file-size', '99999999999999999G'], ['a', '--max-file-size'], ['a', '--max-file-size', 'toString'],
  ]) {
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
