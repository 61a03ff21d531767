// `flux-gitops lint` as built (`node dist/cli.js lint`) on a repository holding the hostile
// patterns of issue 11: a CRD `pattern` ^(a+)+$ with a 42-character value that breaks it, a
// HelmRelease version of 60 characters (`1   1   1 … 1 !`), a `.sops.yaml` path_regex
// ^([a-z0-9-]+/?)+\.enc\.yaml$ over a plain Secret at a 54-character path. Each took from a minute
// to hours on JavaScript regexes; the lint must finish promptly with the right diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { widget, widgetCrd } from '../support/widgetCrd';

const projectRoot = path.resolve(__dirname, '../..');
const RECIPIENT = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
/** Hang bound of the whole lint (a process start, a scan and a few files take about a second). */
const LINT_BOUND_MS = 20_000;

interface Problem {
  file: string;
  line: number;
  code: string;
  message: string;
}

function writeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-lint-regex-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const secret = (name: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: apps\nstringData:\n  password: hunter2\n`;

test('lint finishes promptly on hostile CRD patterns, semver ranges and .sops.yaml path_regex, with the right diagnostics', (t) => {
  const longPath = `${'a'.repeat(49)}.yaml`;
  const version = `${Array.from({ length: 15 }, () => '1').join('   ')}  !`;
  assert.equal(version.length, 60);
  assert.equal(longPath.length, 54);
  const root = writeRepo({
    'crds/widget.yaml': widgetCrd({ letters: '^(a+)+$' }),
    'apps/widget.yaml': widget({ letters: `${'a'.repeat(41)}!` }),
    'apps/release.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  interval: 5m
  chart:
    spec:
      chart: app
      version: "${version}"
      sourceRef:
        kind: HelmRepository
        name: repo
`,
    '.sops.yaml': `creation_rules:\n  - path_regex: ^([a-z0-9-]+/?)+\\.enc\\.yaml$\n    age: ${RECIPIENT}\n`,
    [longPath]: secret('long'),
    'db.enc.yaml': secret('db'),
  });
  try {
    const start = Date.now();
    const result = spawnSync(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lint', root, '--crds', path.join(root, 'crds'), '--format', 'json'], {
      encoding: 'utf8',
      timeout: LINT_BOUND_MS,
    });
    const ms = Date.now() - start;
    t.diagnostic(`lint took ${ms} ms`);
    assert.equal(result.signal, null, `lint did not finish within ${LINT_BOUND_MS} ms`);
    assert.equal(result.stderr, '');
    const problems = (JSON.parse(result.stdout) as Problem[]).map((p) => `${p.file}:${p.line} ${p.code}`);
    assert.ok(problems.includes('apps/widget.yaml:6 pattern-mismatch'), problems.join('\n'));
    assert.ok(problems.includes('apps/release.yaml:11 semver-range-invalid'), problems.join('\n'));
    // The rule covers db.enc.yaml only: the long path is no .enc.yaml.
    assert.ok(problems.includes('db.enc.yaml:6 secret-plaintext'), problems.join('\n'));
    assert.ok(!problems.some((p) => p.startsWith(`${longPath}:`)), problems.join('\n'));
    assert.equal(result.status, 1);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
