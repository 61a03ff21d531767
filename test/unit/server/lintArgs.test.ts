import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLintArgs } from '../../../server/src/cli/lint';
import { UsageError } from '../../../server/src/cli/command';
import { formatJson } from '../../../server/src/cli/format/json';
import { formatSarif } from '../../../server/src/cli/format/sarif';
import { formatText } from '../../../server/src/cli/format/text';
import { FILE_SKIPPED } from '../../../server/src/cli/format/problem';
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

test('text prints each problem on one line with controls escaped; JSON and SARIF parse back to the exact text, with no raw control printed', () => {
  const hostile = 'Unknown field "x\n::error file=x::pwned\r\u001b[2J\u202eevil\u0085\u2028" in spec';
  const problem = { file: 'dir\n::warning::name.yaml', line: 6, column: 3, endLine: 6, endColumn: 9, severity: 'warning' as const, code: 'unknown-field', message: hostile };
  const text = formatText([problem, { ...problem, code: FILE_SKIPPED, message: 'Not checked: too large' }], '0');
  assert.deepEqual(text.split('\n'), [
    'dir\\n::warning::name.yaml:6:3: warning Unknown field "x\\n::error file=x::pwned\\r\\u001b[2J\\u202eevil\\u0085\\u2028" in spec [unknown-field]',
    'dir\\n::warning::name.yaml:6:3: warning Not checked: too large [file-skipped]',
    '0 error(s), 2 warning(s), 0 other; 1 file(s) skipped',
    '',
  ]);
  for (const output of [formatJson([problem], '0'), formatSarif([problem], '0')]) {
    // Every character printed is plain: JSON escapes C0 controls, and the rest are escaped on top.
    assert.doesNotMatch(output, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202e]/);
    assert.ok(output.includes('\\u202eevil\\u0085\\u2028'), output);
  }
  assert.equal((JSON.parse(formatJson([problem], '0')) as { message: string; file: string }[])[0]!.message, hostile);
  const sarif = JSON.parse(formatSarif([problem], '0')) as { runs: { results: { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.runs[0]!.results[0]!.message.text, hostile);
  assert.equal(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, problem.file);
});
