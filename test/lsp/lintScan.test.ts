// `flux-gitops lint` as built (`node dist/cli.js lint`) on folders made to break the workspace scan:
// every file it does not check is a `file-skipped` warning, counted, in each format; it never leaves
// the folder, never opens what is not a regular file, and prints what it quotes on one line.
// The spawn timeout is a hang guard (a FIFO or `root -> /` never ended before), not a speed target.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const projectRoot = path.resolve(__dirname, '../..');

/** A Deployment with two schema errors, both quoting the value. */
const TWO_ERRORS = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: three\n  minReadySeconds: soon\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n';
const ERROR_LINES = [
  'small.yaml:6:13: error Expected an integer, got the string "three" [wrong-type]',
  'small.yaml:7:20: error Expected an integer, got the string "soon" [wrong-type]',
];

interface Problem {
  file: string;
  line: number;
  severity: string;
  code: string;
  message: string;
}
interface Sarif {
  runs: { results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
}

function lint(args: string[], options: { uid?: number } = {}): { status: number | null; stdout: string; stderr: string } {
  const ids = options.uid === undefined ? {} : { uid: options.uid, gid: options.uid };
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lint', ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024, ...ids });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh folder under the temp dir, readable by other users (for the unprivileged run). */
function tempFolder(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'flux-gitops-lint-'));
  chmodSync(dir, 0o755);
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function skippedIn(problems: readonly Problem[]): string[] {
  return problems.filter((p) => p.code === 'file-skipped').map((p) => `${p.file}:${p.line} ${p.severity} ${p.message}`);
}

test('a file over the size limit is a counted warning in each format, fails with --strict, and is checked under a higher --max-file-size', { timeout: 120_000 }, (t) => {
  const dir = tempFolder(t);
  // 11 MB: the two errors, then a document of comment lines (a section that large is not validated).
  const big = `${TWO_ERRORS}---\n${`# ${'x'.repeat(98)}\n`.repeat(110_000)}`;
  writeFileSync(path.join(dir, 'big.yaml'), big);
  const message = `Not checked: too large: ${big.length} bytes, over the limit of 8388608 bytes (--max-file-size sets the limit)`;

  const text = lint([dir]);
  assert.equal(text.stdout, `big.yaml:1:1: warning ${message} [file-skipped]\n0 error(s), 1 warning(s), 0 other; 1 file(s) skipped\n`);
  assert.equal(text.status, 0);
  assert.equal(lint([dir, '--strict']).status, 1);

  const json = lint([dir, '--format', 'json']);
  assert.deepEqual(skippedIn(JSON.parse(json.stdout) as Problem[]), [`big.yaml:1 warning ${message}`]);
  assert.equal(json.status, 0);
  assert.equal(lint([dir, '--format', 'json', '--strict']).status, 1);

  const sarif = lint([dir, '--format', 'sarif']);
  const result = (JSON.parse(sarif.stdout) as Sarif).runs[0]!.results[0]!;
  assert.deepEqual([result.ruleId, result.level, result.message.text, result.locations[0]!.physicalLocation.artifactLocation.uri], ['file-skipped', 'warning', message, 'big.yaml']);
  assert.equal(sarif.status, 0);
  assert.equal(lint([dir, '--format', 'sarif', '--strict']).status, 1);

  const raised = lint([dir, '--max-file-size', '16M']);
  assert.equal(raised.stdout, `${ERROR_LINES.map((l) => l.replace('small', 'big')).join('\n')}\n2 error(s), 0 warning(s), 0 other; 0 file(s) skipped\n`);
  assert.equal(raised.status, 1);
});

test('files over --max-files are each reported (the first in path order are checked)', { timeout: 60_000 }, (t) => {
  const dir = tempFolder(t);
  writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
  writeFileSync(path.join(dir, 'small.yaml'), TWO_ERRORS);
  writeFileSync(path.join(dir, 'z.yaml'), TWO_ERRORS);
  const { stdout, status } = lint([dir, '--max-files', '2']);
  assert.equal(
    stdout,
    `${ERROR_LINES.join('\n')}\nz.yaml:1:1: warning Not checked: beyond the limit of 2 YAML files per folder (the first ones in path order are checked) (--max-files sets the limit) [file-skipped]\n2 error(s), 1 warning(s), 0 other; 1 file(s) skipped\n`,
  );
  assert.equal(status, 1);
});

test('an unreadable file and an unreadable folder are reported, not passed over', { timeout: 60_000 }, (t) => {
  const dir = tempFolder(t);
  writeFileSync(path.join(dir, 'small.yaml'), TWO_ERRORS);
  writeFileSync(path.join(dir, 'secret.yaml'), TWO_ERRORS);
  mkdirSync(path.join(dir, 'locked'));
  writeFileSync(path.join(dir, 'locked/inner.yaml'), TWO_ERRORS);
  chmodSync(path.join(dir, 'secret.yaml'), 0);
  chmodSync(path.join(dir, 'locked'), 0);
  // Permissions do not stop root: run as nobody then.
  const { stdout, status } = lint([dir], process.getuid?.() === 0 ? { uid: 65534 } : {});
  assert.equal(
    stdout,
    [
      'locked:1:1: warning Not checked: folder cannot be read (EACCES) [file-skipped]',
      'secret.yaml:1:1: warning Not checked: cannot be read (EACCES) [file-skipped]',
      ...ERROR_LINES,
      '2 error(s), 2 warning(s), 0 other; 2 file(s) skipped',
      '',
    ].join('\n'),
  );
  assert.equal(status, 1);
});

test('a FIFO named pipe.yaml, also given as --crds, is reported at once instead of blocking', { timeout: 120_000 }, (t) => {
  const dir = tempFolder(t);
  execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  writeFileSync(path.join(dir, 'small.yaml'), TWO_ERRORS);
  const { stdout, status } = lint([dir]);
  assert.equal(stdout, ['pipe.yaml:1:1: warning Not checked: not a regular file (FIFO) [file-skipped]', ...ERROR_LINES, '2 error(s), 1 warning(s), 0 other; 1 file(s) skipped', ''].join('\n'));
  assert.equal(status, 1);
  const crds = lint([dir, '--crds', path.join(dir, 'pipe.yaml')]);
  assert.equal(crds.status, 2);
  assert.match(crds.stderr, /^flux-gitops lint: --crds .*pipe\.yaml: not a regular file \(FIFO\)$/m);
});

test('links out of the folder (to /, to /dev/zero, to a file and a folder outside) are reported and never read: nothing from outside is printed', { timeout: 120_000 }, (t) => {
  const outside = tempFolder(t);
  writeFileSync(path.join(outside, 'secret.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: SECRET-TOKEN-abc123\n');
  const dir = tempFolder(t);
  writeFileSync(path.join(dir, 'small.yaml'), TWO_ERRORS);
  symlinkSync('/', path.join(dir, 'root'));
  symlinkSync('/dev/zero', path.join(dir, 'zero.yaml'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'link.yaml'));
  symlinkSync(outside, path.join(dir, 'elsewhere'));
  // A link inside the folder is followed as before.
  symlinkSync('small.yaml', path.join(dir, 'alias.yaml'));
  const leaves = (file: string): string => `${file}:1:1: warning Not checked: symbolic link leaves the workspace [file-skipped]`;
  const text = lint([dir]);
  assert.equal(
    text.stdout,
    [...ERROR_LINES.map((l) => l.replace('small', 'alias')), leaves('elsewhere'), leaves('link.yaml'), leaves('root'), ...ERROR_LINES, leaves('zero.yaml'), '4 error(s), 4 warning(s), 0 other; 4 file(s) skipped', ''].join('\n'),
  );
  assert.equal(text.status, 1);
  for (const format of ['json', 'sarif']) assert.doesNotMatch(lint([dir, '--format', format]).stdout, /SECRET/, format);
  assert.equal(lint([dir, '--crds', '/dev/zero']).status, 2);
});

test('a key or a file name holding a newline prints on one line, escaped: no workflow command reaches a CI log', { timeout: 60_000 }, (t) => {
  const dir = tempFolder(t);
  writeFileSync(path.join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"x\\n::error file=x::pwned\\u202e": 1\n');
  writeFileSync(path.join(dir, 'b\n::error file=y::pwned.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\n  bogus: 1\n');
  const { stdout } = lint([dir]);
  assert.equal(
    stdout,
    [
      'a.yaml:5:1: warning Unknown field "x\\n::error file=x::pwned\\u202e" [unknown-field]',
      'b\\n::error file=y::pwned.yaml:5:3: warning Unknown field "bogus" in metadata [unknown-field]',
      '0 error(s), 2 warning(s), 0 other; 0 file(s) skipped',
      '',
    ].join('\n'),
  );
  const json = JSON.parse(lint([dir, '--format', 'json']).stdout) as Problem[];
  assert.deepEqual(json.map((p) => [p.file, p.message]), [
    ['a.yaml', 'Unknown field "x\n::error file=x::pwned\u202e"'],
    ['b\n::error file=y::pwned.yaml', 'Unknown field "bogus" in metadata'],
  ]);
});
