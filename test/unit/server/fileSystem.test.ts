// The real file system's writes (the CRD cache goes through them): replaced by a rename, never in place.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';

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
