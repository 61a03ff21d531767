import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SopsSessions, nodeSessionFiles, type SessionFiles } from '../../../client/src/sops/sessions';
import { keyAccess } from '../../../server/src/sops/keyAccess';
import { encrypt } from '../../../server/src/sops/stores/yaml';
import { DEFAULT_RULE } from '../../../server/src/sops/metadata';
import { globalKeyFile, keyFile, memoryIo, recipient, vectors as vectorsDir } from '../../sops/support';

const MARKER = 'PLAINTEXT-MARKER-7f3a';
const keyEnv = { SOPS_AGE_KEY: readFileSync(keyFile, 'utf8') };

async function setup(): Promise<{ dir: string; file: string; encrypted: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-sessions-'));
  const file = join(dir, 'secret.yaml');
  const encrypted = await encrypt(`kind: Secret\nstringData:\n  token: ${MARKER}\n  other: keep\n`, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
  writeFileSync(file, encrypted);
  return { dir, file, encrypted };
}

/** Every byte under `dir`, to prove no plaintext reached the disk. */
function diskText(dir: string): string {
  return readdirSync(dir).map((n) => readFileSync(join(dir, n), 'utf8')).join('\n');
}

test('an edit session decrypts in memory and a save re-encrypts into the original file only', async () => {
  const { dir, file, encrypted } = await setup();
  try {
    const sessions = new SopsSessions(memoryIo({}, keyEnv), () => undefined);
    const buffer = Buffer.from(await sessions.open('edit', file)).toString('utf8');
    assert.match(buffer, new RegExp(MARKER));
    assert.doesNotMatch(diskText(dir), new RegExp(MARKER));
    const edited = buffer.replace('other: keep', 'other: changed');
    await sessions.write('edit', file, Buffer.from(edited));
    const saved = readFileSync(file, 'utf8');
    assert.notEqual(saved, encrypted);
    assert.doesNotMatch(diskText(dir), new RegExp(`${MARKER}|changed`));
    assert.deepEqual(readdirSync(dir), ['secret.yaml']);
    // The unchanged secret keeps its ciphertext.
    assert.equal(/token: (.*)/.exec(saved)?.[1], /token: (.*)/.exec(encrypted)?.[1]);
    assert.match(Buffer.from(await sessions.read('edit', file)).toString('utf8'), /other: changed/);
    // A second save works from the refreshed state.
    await sessions.write('edit', file, Buffer.from(edited.replace('changed', 'again')));
    assert.match(Buffer.from(await new SopsSessions(memoryIo({}, keyEnv), () => undefined).open('view', file)).toString(), /other: again/);
    sessions.close('edit', file);
    assert.equal(sessions.isOpen('edit', file), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a save that cannot be written leaves the file intact and keeps the edit in memory only, with the reason', async () => {
  const { dir, file, encrypted } = await setup();
  try {
    const failing: SessionFiles = { readText: nodeSessionFiles.readText, writeAtomically: async () => Promise.reject(new Error('disk full')) };
    const sessions = new SopsSessions(memoryIo({}, keyEnv), () => undefined, failing);
    const buffer = Buffer.from(await sessions.open('edit', file)).toString('utf8');
    const edit = buffer.replace('keep', 'x');
    assert.deepEqual(await sessions.write('edit', file, Buffer.from(edit)), { written: false, reason: 'disk full' });
    assert.equal(readFileSync(file, 'utf8'), encrypted);
    assert.equal(Buffer.from(await sessions.read('edit', file)).toString('utf8'), edit);
    assert.equal(sessions.close('edit', file), 'disk full');

    const real = new SopsSessions(memoryIo({}, keyEnv), () => undefined);
    await real.open('edit', file);
    const invalid = await real.write('edit', file, Buffer.from('a: [unclosed\n'));
    assert.equal(invalid.written, false);
    assert.match(invalid.written ? '' : invalid.reason, /Error unmarshalling input yaml/);
    assert.equal(readFileSync(file, 'utf8'), encrypted);
    // Fixing the YAML writes it.
    assert.deepEqual(await real.write('edit', file, Buffer.from(buffer)), { written: true });
    const saved = readFileSync(file, 'utf8');
    writeFileSync(file, `${saved}# someone else\n`);
    const conflict = await real.write('edit', file, Buffer.from(edit));
    assert.match(conflict.written ? '' : conflict.reason, /changed on disk/);
    assert.equal(readFileSync(file, 'utf8'), `${saved}# someone else\n`);
    assert.doesNotMatch(diskText(dir), new RegExp(MARKER));
    await real.open('view', file);
    await assert.rejects(real.write('view', file, Buffer.from(buffer)), /read-only/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a save of a decrypted edit opened through a symbolic link goes to the file it leads to', async () => {
  const { dir, file, encrypted } = await setup();
  const repo = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-repo-'));
  try {
    chmodSync(file, 0o600);
    const link = join(repo, 'secret.yaml');
    symlinkSync(relative(repo, file), link);
    const sessions = new SopsSessions(memoryIo({}, keyEnv), () => undefined);
    const buffer = Buffer.from(await sessions.open('edit', link)).toString('utf8');
    assert.deepEqual(await sessions.write('edit', link, Buffer.from(buffer.replace('other: keep', 'other: changed'))), { written: true });
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    const saved = readFileSync(file, 'utf8');
    assert.notEqual(saved, encrypted);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.match(Buffer.from(await new SopsSessions(memoryIo({}, keyEnv), () => undefined).open('view', file)).toString(), /other: changed/);
    assert.doesNotMatch(diskText(dir), new RegExp(`${MARKER}|changed`));
    assert.deepEqual(readdirSync(dir), ['secret.yaml']);
    assert.deepEqual(readdirSync(repo), ['secret.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(repo, { recursive: true, force: true });
  }
});

test('without a key, opening fails and nothing is kept', async () => {
  const { dir, file } = await setup();
  try {
    const sessions = new SopsSessions(memoryIo(), () => undefined);
    await assert.rejects(sessions.open('edit', file), (e: Error) => /no identity matched/.test(e.message) && !e.message.includes(MARKER));
    assert.equal(sessions.isOpen('edit', file), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('key access lists recipients and says whether a local key can decrypt', async () => {
  const { dir, encrypted } = await setup();
  try {
    const yes = await keyAccess('/x/secret.yaml', encrypted, memoryIo({}, keyEnv), undefined);
    assert.deepEqual(yes?.recipients, [[recipient]]);
    assert.equal(yes?.canDecrypt, true);
    const no = await keyAccess('/x/secret.yaml', encrypted, memoryIo({ '/k': readFileSync(globalKeyFile, 'utf8') }), '/k');
    assert.equal(no?.canDecrypt, false);
    assert.match(no?.searched.join() ?? '', /fluxGitops\.sops\.ageKeyFile=\/k/);
    assert.equal(await keyAccess('/x/plain.yaml', 'a: 1\n', memoryIo(), undefined), undefined);
    const env = await keyAccess('/x/.env', readFileSync(join(vectorsDir, 'envs/env.env'), 'utf8'), memoryIo({}, keyEnv), undefined);
    assert.equal(env?.canDecrypt, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
