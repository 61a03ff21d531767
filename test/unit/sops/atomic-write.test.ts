import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomically } from '../../../server/src/sops/atomic-write';

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
