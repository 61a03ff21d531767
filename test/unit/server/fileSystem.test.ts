// The real file system: writes (the CRD cache goes through them) are replaced by a rename, never in
// place; reads take regular files only, within a size limit, and never block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileRefusedError, nodeFileSystem } from '../../../server/src/workspace/fileSystem';

test('writeFile replaces the file with a new one renamed over it (atomic), leaving no temporary file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-fs-'));
  try {
    const file = join(dir, 'crd-cache.json');
    writeFileSync(file, '["old"]');
    const before = statSync(file).ino;
    await nodeFileSystem().writeFile(file, '["new"]');
    assert.equal(readFileSync(file, 'utf8'), '["new"]');
    // Written in place, the inode would stay: a reader could see a half-written cache.
    assert.notEqual(statSync(file).ino, before);
    assert.deepEqual(readdirSync(dir), ['crd-cache.json']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('writeFile creates the missing folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-fs-'));
  try {
    const file = join(dir, 'storage', 'crd-cache.json');
    await nodeFileSystem().writeFile(file, '[]');
    assert.equal(readFileSync(file, 'utf8'), '[]');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The hang guard: opening a FIFO for reading waits for a writer, for ever.
test('readFile refuses a FIFO and a device at once, and a file over maxBytes, without reading them', { timeout: 30_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-fs-'));
  try {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const fs = nodeFileSystem();
    const refused = (kind: FileRefusedError['refusal'], message: string) => (error: unknown) =>
      error instanceof FileRefusedError && error.refusal === kind && error.message === message;
    await assert.rejects(fs.readFile(fifo), refused('type', 'not a regular file (FIFO)'));
    await assert.rejects(fs.readFile('/dev/zero'), refused('type', 'not a regular file (character device)'));
    await assert.rejects(fs.readFile(dir), refused('type', 'not a regular file (folder)'));
    writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
    assert.equal(await fs.readFile(join(dir, 'a.yaml'), 5), 'a: 1\n');
    await assert.rejects(fs.readFile(join(dir, 'a.yaml'), 4), refused('size', '5 bytes, over the limit of 4 bytes'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('readDirectory says which entries are links, and what is neither a file nor a folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-fs-'));
  try {
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'a.yaml'), '');
    symlinkSync('sub', join(dir, 'to-sub'));
    symlinkSync('pipe', join(dir, 'to-pipe'));
    symlinkSync('nowhere', join(dir, 'broken'));
    const entries = (await nodeFileSystem().readDirectory(dir)).sort((a, b) => a.name.localeCompare(b.name));
    assert.deepEqual(entries.map((e) => [e.name, e.directory, e.symbolicLink ?? false, e.special]), [
      ['a.yaml', false, false, undefined],
      ['broken', false, true, undefined],
      ['pipe', false, false, 'FIFO'],
      ['sub', true, false, undefined],
      ['to-pipe', false, true, 'FIFO'],
      ['to-sub', true, true, undefined],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
