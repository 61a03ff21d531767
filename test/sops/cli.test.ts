import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../server/src/cli';
import { keyFile, recipient, runSops, sopsBinary, sopsVersions, vectors } from './support';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<Run> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(['sops', ...args], { stdout, stderr, stdin: new PassThrough(), env: { HOME: cwd, XDG_CONFIG_HOME: join(cwd, 'xdg'), ...env }, cwd });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-cli-'));
const withKey = { SOPS_AGE_KEY_FILE: keyFile };
test.after(() => rmSync(work, { recursive: true, force: true }));

test('decrypt prints the plaintext of a vector', async () => {
  const r = await run(['decrypt', join(vectors, 'algorithms/age.yaml')], work, withKey);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /stringData:\n {2}key: value\n/);
  assert.equal(r.stderr, '');
});

test('without a matching key: exit 128, the reason on stderr, nothing on stdout', async () => {
  const r = await run(['decrypt', join(vectors, 'algorithms/age.yaml')], work);
  assert.equal(r.code, 128);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /no identity matched any of the recipients[\s\S]*age1l44xcng8/);
  assert.match(r.stderr, /sops\/age\/keys\.txt \(not found\)/);
});

test('a tampered value: non-zero exit and no plaintext anywhere', async () => {
  const file = join(work, 'tampered.yaml');
  writeFileSync(file, readFileSync(join(vectors, 'algorithms/age.yaml'), 'utf8').replace('data:mHeXsmQ=', 'data:mHeXsmA='));
  const r = await run(['decrypt', file], work, withKey);
  assert.equal(r.code, 25);
  assert.equal(r.stdout, '');
  assert.doesNotMatch(r.stderr, /value/);
});

test('encrypt with --age and --encrypted-regex, then decrypt it back', async () => {
  const file = join(work, 'plain.yaml');
  writeFileSync(file, 'kind: Secret\nstringData:\n  token: MARKER-123\n');
  const enc = await run(['encrypt', file, '--age', recipient, '--encrypted-regex', '^stringData$'], work);
  assert.equal(enc.code, 0, enc.stderr);
  assert.match(enc.stdout, /^kind: Secret\nstringData:\n {2}token: ENC\[/);
  assert.doesNotMatch(enc.stdout, /MARKER/);
  assert.equal(readFileSync(file, 'utf8'), 'kind: Secret\nstringData:\n  token: MARKER-123\n');
  const encrypted = join(work, 'encrypted.yaml');
  writeFileSync(encrypted, enc.stdout);
  const dec = await run(['decrypt', encrypted], work, withKey);
  assert.equal(dec.stdout, 'kind: Secret\nstringData:\n  token: MARKER-123\n');
});

test('encrypt --in-place follows .sops.yaml and replaces the file atomically', async () => {
  const dir = mkdtempSync(join(work, 'repo-'));
  copyFileSync(join(vectors, '.sops.yaml'), join(dir, '.sops.yaml'));
  const file = join(dir, 'secret.yaml');
  writeFileSync(file, 'kind: Secret\nstringData:\n  token: MARKER-456\n');
  const r = await run(['encrypt', file, '--in-place'], dir);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  const written = readFileSync(file, 'utf8');
  assert.match(written, /\n {2}encrypted_regex: \^\(data\|stringData\)\$\n/);
  assert.doesNotMatch(written, /MARKER/);
  assert.deepEqual(readdirSync(dir).sort(), ['.sops.yaml', 'secret.yaml']);
  for (const version of sopsVersions()) {
    // sops -d runs in the repository, so it also applies the fixture's `stores.yaml.indent: 2`.
    assert.equal(runSops(sopsBinary(version), ['-d', '--input-type', 'yaml', '--output-type', 'yaml'], written, dir), 'kind: Secret\nstringData:\n  token: MARKER-456\n', version);
  }
  const again = await run(['encrypt', file, '--in-place'], dir);
  assert.equal(again.code, 203);
  assert.match(again.stderr, /File already encrypted/);
  assert.equal(readFileSync(file, 'utf8'), written);
});

test('dotenv and binary files decrypt; INI files and bad usage fail with a message', async () => {
  const env = await run(['decrypt', join(vectors, 'envs/env.env')], work, withKey);
  assert.equal(env.code, 0, env.stderr);
  assert.match(env.stdout, /^key=.+\n$/);
  const ini = join(work, 'secret.ini');
  writeFileSync(ini, '[a]\nb = c\n');
  const refused = await run(['encrypt', ini, '--age', recipient], work);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /ini format is not supported in-process/);
  assert.equal((await run(['explode', 'x'], work)).code, 2);
  assert.equal((await run(['encrypt'], work)).code, 2);
  const missing = await run(['decrypt', join(work, 'nope.yaml')], work);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read/);
});
