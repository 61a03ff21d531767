// The workspace scan on a real folder: a linked folder inside the root is read once, and links back up
// the tree (cycles, which some repositories have) end neither in a hang nor in repeated files; a link
// whose real path leaves the root is not followed, only regular files are read, and every file left
// out is reported with the reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../server/src/engine';
import { DEFAULT_SETTINGS, parseSettings } from '../../../server/src/settings';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';
import { DEFAULT_SCAN_LIMITS, findYamlFiles, readYamlFile, readYamlFiles, type SkippedFile } from '../../../server/src/workspace/scan';
import { pathToUri } from '../../../server/src/workspace/uri';

function tempRoot(t: { after(fn: () => void): void }): string {
  const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-scan-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

/** Skipped files as `relative path: reason`, sorted. */
function reasons(root: string, skipped: readonly SkippedFile[]): string[] {
  return skipped.map((s) => `${path.relative(root, s.path)}: ${s.reason}`).sort();
}

// The timeout is a hang guard (the unbounded scan never ends), not a speed target.
test('symbolic links: cycles are not followed again, a linked folder is scanned once', { timeout: 60_000 }, async (t) => {
  const root = tempRoot(t);
  for (const dir of ['apps/base', 'loops/a', 'loops/b']) mkdirSync(path.join(root, dir), { recursive: true });
  writeFileSync(path.join(root, 'apps/base/release.yaml'), 'a: 1\n');
  writeFileSync(path.join(root, 'top.yml'), 'b: 2\n');
  // Two links up from a folder without YAML: followed blindly, the scan grows as 2^depth.
  symlinkSync('..', path.join(root, 'loops/a/up'));
  symlinkSync('..', path.join(root, 'loops/b/up'));
  symlinkSync(path.join(root, 'apps/base'), path.join(root, 'apps/current'));
  const { files, skipped } = await findYamlFiles(nodeFileSystem(), root, DEFAULT_SCAN_LIMITS);
  const found = files.map((f) => path.relative(root, f));
  assert.equal(found.length, 2, found.slice(0, 5).join(', '));
  assert.ok(found.includes('top.yml'));
  assert.ok(found.includes('apps/base/release.yaml') || found.includes('apps/current/release.yaml'));
  assert.deepEqual(skipped, []);
});

test('links whose real path leaves the root (to /, to /dev/zero, to a file or folder outside) are reported, not followed', { timeout: 60_000 }, async (t) => {
  const root = tempRoot(t);
  const outside = tempRoot(t);
  mkdirSync(path.join(root, 'repo'));
  writeFileSync(path.join(outside, 'secret.yaml'), 'token: abc\n');
  writeFileSync(path.join(root, 'repo/inside.yaml'), 'a: 1\n');
  symlinkSync('/', path.join(root, 'repo/root'));
  symlinkSync('/dev/zero', path.join(root, 'repo/zero.yaml'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'repo/secret.yaml'));
  symlinkSync(outside, path.join(root, 'repo/elsewhere'));
  // Relative, up out of the root: the same as an absolute one.
  symlinkSync('../../' + path.basename(outside), path.join(root, 'repo/up'));
  // Inside the root, a link to a file is fine.
  symlinkSync('inside.yaml', path.join(root, 'repo/alias.yaml'));
  const repo = path.join(root, 'repo');
  const { files, skipped } = await findYamlFiles(nodeFileSystem(), repo, DEFAULT_SCAN_LIMITS);
  assert.deepEqual(files.map((f) => path.relative(repo, f)), ['alias.yaml', 'inside.yaml']);
  assert.deepEqual(reasons(repo, skipped), [
    'elsewhere: symbolic link leaves the workspace',
    'root: symbolic link leaves the workspace',
    'secret.yaml: symbolic link leaves the workspace',
    'up: symbolic link leaves the workspace',
    'zero.yaml: symbolic link leaves the workspace',
  ]);
});

test('a FIFO, a socket, a broken link and a link loop are reported without being opened', { timeout: 30_000 }, async (t) => {
  const root = tempRoot(t);
  execFileSync('mkfifo', [path.join(root, 'pipe.yaml')]);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(path.join(root, 'socket.yaml'), resolve));
  t.after(() => server.close());
  symlinkSync('pipe.yaml', path.join(root, 'via-link.yaml'));
  symlinkSync('missing.yaml', path.join(root, 'broken.yaml'));
  symlinkSync('loop.yaml', path.join(root, 'loop.yaml'));
  writeFileSync(path.join(root, 'ok.yaml'), 'a: 1\n');
  const scanned = [];
  for await (const file of readYamlFiles(nodeFileSystem(), root, DEFAULT_SCAN_LIMITS)) scanned.push(file);
  assert.deepEqual(scanned.filter((s) => 'text' in s).map((s) => path.relative(root, s.path)), ['ok.yaml']);
  assert.deepEqual(reasons(root, scanned.filter((s): s is SkippedFile => 'reason' in s)), [
    'broken.yaml: symbolic link leads nowhere (ENOENT)',
    'loop.yaml: symbolic link leads nowhere (ELOOP)',
    'pipe.yaml: not a regular file (FIFO)',
    'socket.yaml: not a regular file (socket)',
    'via-link.yaml: not a regular file (FIFO)',
  ]);
});

test('the file-count limit keeps the first files in path order and reports each of the others', async (t) => {
  const root = tempRoot(t);
  for (const dir of ['a', 'b', 'c']) {
    mkdirSync(path.join(root, dir));
    for (const name of ['1.yaml', '2.yml']) writeFileSync(path.join(root, dir, name), 'a: 1\n');
  }
  const { files, skipped } = await findYamlFiles(nodeFileSystem(), root, { ...DEFAULT_SCAN_LIMITS, maxFiles: 4 });
  assert.deepEqual(files.map((f) => path.relative(root, f)), ['a/1.yaml', 'a/2.yml', 'b/1.yaml', 'b/2.yml']);
  assert.deepEqual(skipped.map((s) => [path.relative(root, s.path), s.limit]), [['c/1.yaml', 'maxFiles'], ['c/2.yml', 'maxFiles']]);
  assert.match(skipped[0]!.reason, /beyond the limit of 4 YAML files/);
});

test('a file over the size limit is refused from its size, before any byte is read', { timeout: 30_000 }, async (t) => {
  const root = tempRoot(t);
  const huge = path.join(root, 'huge.yaml');
  // 1 TiB, sparse: read whole, this would never end (or run out of memory).
  writeFileSync(huge, '');
  truncateSync(huge, 2 ** 40);
  const read = await readYamlFile(nodeFileSystem(), huge, DEFAULT_SCAN_LIMITS);
  assert.deepEqual(read, { path: huge, reason: `too large: ${2 ** 40} bytes, over the limit of ${8 * 1024 * 1024} bytes`, limit: 'maxFileBytes' });
  const small = path.join(root, 'small.yaml');
  writeFileSync(small, 'a: é\n');
  // 6 bytes (é is two): the limit counts bytes, not characters.
  assert.deepEqual(await readYamlFile(nodeFileSystem(), small, { ...DEFAULT_SCAN_LIMITS, maxFileBytes: 6 }), { path: small, text: 'a: é\n' });
  assert.deepEqual(await readYamlFile(nodeFileSystem(), small, { ...DEFAULT_SCAN_LIMITS, maxFileBytes: 5 }), {
    path: small,
    reason: 'too large: 6 bytes, over the limit of 5 bytes',
    limit: 'maxFileBytes',
  });
});

test('the engine: a scan reports skipped files to its listeners, new limits rescan, and a watched file that became a link out of the folder leaves the index', { timeout: 30_000 }, async (t) => {
  const root = tempRoot(t);
  const outside = tempRoot(t);
  writeFileSync(path.join(outside, 'secret.yaml'), 'token: abc\n');
  writeFileSync(path.join(root, 'big.yaml'), `a: ${'x'.repeat(100)}\n`);
  writeFileSync(path.join(root, 'moved.yaml'), 'a: 1\n');
  const engine = new Engine({ fs: nodeFileSystem(), settings: { ...DEFAULT_SETTINGS, scan: { maxFileBytes: 50, maxFiles: 10 } } });
  const skipped: SkippedFile[] = [];
  engine.onFileSkipped((file) => skipped.push(file));
  await engine.addWorkspaceFolder(root);
  assert.deepEqual(reasons(root, skipped), ['big.yaml: too large: 104 bytes, over the limit of 50 bytes']);
  assert.deepEqual(engine.documents.uris(), [pathToUri(path.join(root, 'moved.yaml'))]);
  // A new limit rescans: the file left out is read now, and with a lower one left out again.
  await engine.updateSettings({ scan: { maxFileBytes: 200 } });
  assert.deepEqual(engine.documents.uris().sort(), [pathToUri(path.join(root, 'big.yaml')), pathToUri(path.join(root, 'moved.yaml'))]);
  await engine.updateSettings({ scan: { maxFileBytes: 50 } });
  assert.deepEqual(engine.documents.uris(), [pathToUri(path.join(root, 'moved.yaml'))]);
  assert.equal(skipped.length, 2);
  // The file is replaced by a link to a file outside: the watcher's change must not read through it.
  rmSync(path.join(root, 'moved.yaml'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'moved.yaml'));
  await engine.fileChanged(pathToUri(path.join(root, 'moved.yaml')), 'changed');
  assert.deepEqual(engine.documents.uris(), []);
  assert.deepEqual(reasons(root, skipped).at(-1), 'moved.yaml: symbolic link leaves the workspace');
});

test('settings: fluxGitops.scan limits are positive whole numbers; anything else keeps the value before', () => {
  assert.deepEqual(parseSettings({ scan: { maxFileBytes: 1024.7, maxFiles: 3 } }).scan, { maxFileBytes: 1024, maxFiles: 3 });
  assert.deepEqual(parseSettings({ scan: { maxFileBytes: 0, maxFiles: '9' } }).scan, DEFAULT_SCAN_LIMITS);
  assert.deepEqual(parseSettings({ scan: null }, { ...DEFAULT_SETTINGS, scan: { maxFileBytes: 5, maxFiles: 6 } }).scan, { maxFileBytes: 5, maxFiles: 6 });
  assert.deepEqual(parseSettings({ scan: { maxFiles: -1 } }, { ...DEFAULT_SETTINGS, scan: { maxFileBytes: 5, maxFiles: 6 } }).scan, { maxFileBytes: 5, maxFiles: 6 });
});
