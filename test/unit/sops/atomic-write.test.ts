import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as nodeFs from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically, type AtomicWriteFs } from '../../../server/src/sops/atomic-write';

test('atomic write replaces the file and keeps its permissions', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-atomic-'));
  try {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'old', { mode: 0o600 });
    await writeFileAtomically(file, 'new');
    assert.equal(readFileSync(file, 'utf8'), 'new');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dir), ['secret.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failed rename leaves the target intact and no temporary file behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-atomic-'));
  try {
    const target = join(dir, 'is-a-dir');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'keep');
    await assert.rejects(writeFileAtomically(target, 'new'));
    assert.deepEqual(readdirSync(dir), ['is-a-dir']);
    assert.equal(readFileSync(join(target, 'inside'), 'utf8'), 'keep');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh folder holding `real/secret.yaml` (mode 0600) and the link `repo/secret.yaml -> ../real/secret.yaml`. */
function linkedSecret(): { dir: string; link: string; target: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-atomic-'));
  mkdirSync(join(dir, 'real'));
  mkdirSync(join(dir, 'repo'));
  const target = join(dir, 'real', 'secret.yaml');
  writeFileSync(target, 'plain', { mode: 0o600 });
  chmodSync(target, 0o600);
  const link = join(dir, 'repo', 'secret.yaml');
  symlinkSync('../real/secret.yaml', link);
  return { dir, link, target };
}

test('a write through a symbolic link replaces the file it leads to and keeps the link and the mode', async () => {
  const { dir, link, target } = linkedSecret();
  try {
    await writeFileAtomically(link, 'encrypted');
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(readlinkSync(link), '../real/secret.yaml');
    assert.equal(readFileSync(target, 'utf8'), 'encrypted');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    // The temporary file was made beside the target (a rename cannot cross file systems) and is gone.
    assert.deepEqual(readdirSync(join(dir, 'real')), ['secret.yaml']);
    assert.deepEqual(readdirSync(join(dir, 'repo')), ['secret.yaml']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a relative chain of two links is followed to the end', async () => {
  const { dir, link, target } = linkedSecret();
  try {
    // repo/app/secret.yaml -> ../secret.yaml -> ../real/secret.yaml
    mkdirSync(join(dir, 'repo', 'app'));
    const first = join(dir, 'repo', 'app', 'secret.yaml');
    symlinkSync('../secret.yaml', first);
    await writeFileAtomically(first, 'encrypted');
    assert.ok(lstatSync(first).isSymbolicLink() && lstatSync(link).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), 'encrypted');
    assert.equal(statSync(target).mode & 0o777, 0o600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a dangling link or a loop of links is a clear error and nothing is written', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-atomic-'));
  try {
    const dangling = join(dir, 'secret.yaml');
    symlinkSync('../nowhere/secret.yaml', dangling);
    await assert.rejects(writeFileAtomically(dangling, 'encrypted'), /secret\.yaml is a symbolic link \(to \.\.\/nowhere\/secret\.yaml\) that leads to a file that does not exist \(dangling link\); nothing was written/);
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));
    await assert.rejects(writeFileAtomically(join(dir, 'a.yaml'), 'encrypted'), /a loop of symbolic links; nothing was written/);
    assert.deepEqual(readdirSync(dir).sort(), ['a.yaml', 'b.yaml', 'secret.yaml']);
    assert.ok(lstatSync(dangling).isSymbolicLink());
    assert.equal(existsSync(join(dir, '..', 'nowhere')), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the original owner is kept (the machines run the tests as root, who may give a file away)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-atomic-'));
  try {
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, 'plain');
    chmodSync(file, 0o640);
    chownSync(file, 4242, 4343);
    await writeFileAtomically(file, 'encrypted');
    const after = statSync(file);
    assert.equal(readFileSync(file, 'utf8'), 'encrypted');
    assert.deepEqual([after.uid, after.gid, after.mode & 0o777], [4242, 4343, 0o640]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a failure at any step leaves the original byte-identical and no temporary file behind', async () => {
  // Injected failures: running as root, a read-only folder would not stop the write.
  const failAt = ['open', 'write', 'sync', 'rename'] as const;
  for (const step of failAt) {
    const { dir, link, target } = linkedSecret();
    try {
      const before = readFileSync(target);
      const fs: AtomicWriteFs = {
        ...nodeFs,
        open: async (...args: Parameters<typeof nodeFs.open>) => {
          if (step === 'open') throw Object.assign(new Error('EACCES: permission denied, open'), { code: 'EACCES' });
          const handle = await nodeFs.open(...args);
          if (step === 'write') handle.writeFile = async () => Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
          if (step === 'sync') handle.sync = async () => Promise.reject(Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' }));
          return handle;
        },
        rename: async (...args: Parameters<typeof nodeFs.rename>) => {
          if (step === 'rename') throw Object.assign(new Error('EXDEV: cross-device link not permitted, rename'), { code: 'EXDEV' });
          return nodeFs.rename(...args);
        },
      };
      await assert.rejects(writeFileAtomically(link, 'encrypted', fs), /EACCES|ENOSPC|EIO|EXDEV/, step);
      assert.deepEqual(readFileSync(target), before, step);
      assert.equal(statSync(target).mode & 0o777, 0o600, step);
      assert.deepEqual(readdirSync(join(dir, 'real')), ['secret.yaml'], step);
      assert.ok(lstatSync(link).isSymbolicLink(), step);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});
