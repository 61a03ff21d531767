// `flux-gitops lint` as built (`node dist/cli.js lint`), on the example fleet repository and with
// the real Flux CRDs from the shared fixtures as --crds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const projectRoot = path.resolve(__dirname, '../..');
const fixtures = path.resolve(projectRoot, '../shared/fixtures');
const repo = path.join(fixtures, 'repos/flux2-kustomize-helm-example');
const crds = (release: string): string => path.join(fixtures, 'flux-crds', release);

interface Problem {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  code: string;
  message: string;
}

function lint(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lint', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('the example fleet repo lints with zero errors, with and without the Flux 2.9 CRDs', () => {
  for (const extra of [[], ['--crds', crds('v2.9')]]) {
    const { status, stdout, stderr } = lint(repo, '--format', 'json', ...extra);
    assert.equal(stderr, '');
    const problems = JSON.parse(stdout) as Problem[];
    assert.deepEqual(problems.filter((p) => p.severity === 'error'), [], extra.join(' '));
    assert.equal(status, 0);
  }
});

test('older CRDs (Flux 2.3) reject what the repo uses: exit 1, problems as documented', () => {
  const { status, stdout } = lint(repo, '--crds', crds('v2.3'), '--format', 'json');
  assert.equal(status, 1);
  const problems = JSON.parse(stdout) as Problem[];
  const enumErrors = problems.filter((p) => p.code === 'invalid-enum');
  assert.deepEqual(
    enumErrors.map((p) => `${p.file}:${p.line}`),
    ['clusters/production/apps.yaml:14', 'clusters/production/infrastructure.yaml:12', 'clusters/production/infrastructure.yaml:30', 'clusters/staging/apps.yaml:14', 'clusters/staging/infrastructure.yaml:12', 'clusters/staging/infrastructure.yaml:30'],
  );
  const first = enumErrors[0]!;
  assert.deepEqual(Object.keys(first), ['file', 'line', 'column', 'endLine', 'endColumn', 'severity', 'code', 'message']);
  assert.deepEqual([first.column, first.endLine, first.endColumn, first.severity], [11, 14, 27, 'error']);
  assert.match(first.message, /"ExternalArtifact" is not one of/);
  assert.ok(problems.some((p) => p.code === 'unknown-field' && p.severity === 'warning' && p.file === 'apps/base/podinfo/release.yaml'));
  // Flux 2.3 served OCIRepository only as v1beta2.
  assert.deepEqual(
    problems.filter((p) => p.code === 'apiversion-not-served').map((p) => `${p.file}:${p.line}`),
    ['infrastructure/controllers/cert-manager.yaml:9', 'infrastructure/controllers/envoy-gateway.yaml:9'],
  );
});

test('SARIF 2.1.0 and text output', () => {
  const sarif = JSON.parse(lint(repo, '--crds', crds('v2.3'), '--format', 'sarif').stdout) as {
    version: string;
    runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[];
  };
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0]!;
  assert.equal(run.tool.driver.name, 'flux-gitops');
  assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ['apiversion-not-served', 'invalid-enum', 'unknown-field']);
  const error = run.results.find((r) => r.level === 'error')!;
  assert.equal(error.locations[0]!.physicalLocation.artifactLocation.uri, 'clusters/production/apps.yaml');
  assert.equal(error.locations[0]!.physicalLocation.region.startLine, 14);

  const text = lint(repo, '--crds', crds('v2.3'));
  assert.match(text.stdout, /^clusters\/production\/apps\.yaml:14:11: error Value "ExternalArtifact" is not one of .* \[invalid-enum\]$/m);
  assert.match(text.stdout, /^8 error\(s\), 6 warning\(s\), 0 other; 0 file\(s\) skipped$/m);
});

test('bad usage exits 2 with a message', () => {
  for (const args of [[], ['--format', 'xml', repo], [repo, '--crds'], [repo, 'extra'], [path.join(repo, 'missing')], [repo, '--crds', path.join(repo, 'missing')], [repo, '--bogus']]) {
    const { status, stderr } = lint(...args);
    assert.equal(status, 2, args.join(' '));
    assert.match(stderr, /usage: flux-gitops lint DIR/);
  }
});

test('lsp needs --stdio (exit 2 otherwise); help lists both commands', () => {
  const cli = path.join(projectRoot, 'dist/cli.js');
  const bad = spawnSync(process.execPath, [cli, 'lsp'], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /usage: flux-gitops lsp --stdio/);
  const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', timeout: 60_000 });
  assert.match(help.stdout, /^ {2}lint {5}lint every YAML file/m);
  assert.match(help.stdout, /^ {2}lsp {6}run the language server on stdio/m);
});
