import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** `real/secret.yaml` (0600, plain) and the link `repo/secret.yaml -> ../real/secret.yaml` in a fresh folder. */
function linkedPlainSecret(text: string): { dir: string; link: string; target: string } {
  const dir = mkdtempSync(join(work, 'linked-'));
  mkdirSync(join(dir, 'real'));
  mkdirSync(join(dir, 'repo'));
  const target = join(dir, 'real', 'secret.yaml');
  writeFileSync(target, text);
  chmodSync(target, 0o600);
  const link = join(dir, 'repo', 'secret.yaml');
  symlinkSync('../real/secret.yaml', link);
  return { dir, link, target };
}

test('encrypt --in-place through a symbolic link encrypts the file it leads to, as sops does', async () => {
  // sops' own layout (4-space indent), so that `sops -d` gives the same text back.
  const plain = 'kind: Secret\nstringData:\n    token: MARKER-789\n';
  const outcome = (link: string, target: string): unknown => ({
    linkStaysLink: lstatSync(link).isSymbolicLink(),
    linkText: readlinkSync(link),
    mode: (statSync(target).mode & 0o777).toString(8),
    targetEncrypted: /\nsops:\n/.test(readFileSync(target, 'utf8')) && !readFileSync(target, 'utf8').includes('MARKER'),
  });
  const ours = linkedPlainSecret(plain);
  const r = await run(['encrypt', '--in-place', '--age', recipient, 'secret.yaml'], join(ours.dir, 'repo'));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(readdirSync(join(ours.dir, 'real')), ['secret.yaml']);
  assert.deepEqual(readdirSync(join(ours.dir, 'repo')), ['secret.yaml']);
  assert.deepEqual(outcome(ours.link, ours.target), { linkStaysLink: true, linkText: '../real/secret.yaml', mode: '600', targetEncrypted: true });
  for (const version of sopsVersions()) {
    const theirs = linkedPlainSecret(plain);
    execFileSync(sopsBinary(version), ['--disable-version-check', 'encrypt', '--in-place', '--age', recipient, 'secret.yaml'], {
      cwd: join(theirs.dir, 'repo'),
      env: { PATH: process.env['PATH'] ?? '', HOME: theirs.dir, XDG_CONFIG_HOME: join(theirs.dir, 'xdg') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    assert.deepEqual(outcome(theirs.link, theirs.target), outcome(ours.link, ours.target), version);
    // And sops reads ours back.
    assert.equal(runSops(sopsBinary(version), ['-d', '--input-type', 'yaml', '--output-type', 'yaml'], readFileSync(ours.target, 'utf8'), ours.dir), plain, version);
  }
});

test('encrypt --in-place on a dangling link: a clear error, nothing written', async () => {
  const dir = mkdtempSync(join(work, 'dangling-'));
  symlinkSync('../nowhere/secret.yaml', join(dir, 'secret.yaml'));
  const r = await run(['encrypt', '--in-place', '--age', recipient, 'secret.yaml'], dir);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cannot read secret\.yaml: ENOENT/);
  assert.deepEqual(readdirSync(dir), ['secret.yaml']);
  assert.ok(lstatSync(join(dir, 'secret.yaml')).isSymbolicLink());
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
