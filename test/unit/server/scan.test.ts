// The workspace scan on a real folder with symbolic links: a linked folder is read once, and links
// back up the tree (cycles, which some repositories have) end neither in a hang nor in repeated files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';
import { findYamlFiles } from '../../../server/src/workspace/scan';

// The timeout is a hang guard (the unbounded scan never ends), not a speed target.
test('symbolic links: cycles are not followed again, a linked folder is scanned once', { timeout: 60_000 }, async (t) => {
  const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-scan-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  for (const dir of ['apps/base', 'loops/a', 'loops/b']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'apps/base/release.yaml'), 'a: 1\n');
  writeFileSync(path.join(root, 'top.yml'), 'b: 2\n');
  // Two links up from a folder without YAML: followed blindly, the scan grows as 2^depth.
  symlinkSync('..', path.join(root, 'loops/a/up'));
  symlinkSync('..', path.join(root, 'loops/b/up'));
  symlinkSync(path.join(root, 'apps/base'), path.join(root, 'apps/current'));
  const found = (await findYamlFiles(nodeFileSystem(), root)).map((f) => path.relative(root, f));
  assert.equal(found.length, 2, found.slice(0, 5).join(', '));
  assert.ok(found.includes('top.yml'));
  assert.ok(found.includes('apps/base/release.yaml') || found.includes('apps/current/release.yaml'));
});
