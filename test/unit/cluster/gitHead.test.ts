import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeGitUrl, readGitHead, remoteUrls } from '../../../client/src/cluster/model/gitHead';

// The repositories are made with the real git binary; the code under test reads .git without it.
function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-C', cwd, ...args], { encoding: 'utf8' }).trim();
}

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'githead-'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'remote', 'add', 'origin', 'https://github.com/example/fleet.git');
  writeFileSync(join(dir, 'a.yaml'), 'a: 1\n');
  git(dir, 'add', 'a.yaml');
  git(dir, 'commit', '--quiet', '-m', 'one');
  return dir;
}

test('loose ref, from a subfolder, with the remote URL', async (t) => {
  const dir = repo();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'apps', 'prod'), { recursive: true });
  const head = await readGitHead(join(dir, 'apps', 'prod'));
  assert.equal(head?.commit, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(head?.branch, 'main');
  assert.equal(head?.root, dir);
  assert.deepEqual(head?.remotes, ['https://github.com/example/fleet.git']);
});

test('packed refs', async (t) => {
  const dir = repo();
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  git(dir, 'pack-refs', '--all');
  assert.equal((await readGitHead(dir))?.commit, git(dir, 'rev-parse', 'HEAD'));
});

test('detached HEAD and a linked worktree (.git file with gitdir)', async (t) => {
  const dir = repo();
  const wt = `${dir}-wt`;
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(wt, { recursive: true, force: true });
  });
  writeFileSync(join(dir, 'b.yaml'), 'b: 1\n');
  git(dir, 'add', 'b.yaml');
  git(dir, 'commit', '--quiet', '-m', 'two');
  git(dir, 'worktree', 'add', '--quiet', '-b', 'feature', wt);
  const head = await readGitHead(wt);
  assert.equal(head?.commit, git(wt, 'rev-parse', 'HEAD'));
  assert.equal(head?.branch, 'feature');
  assert.deepEqual(head?.remotes, ['https://github.com/example/fleet.git']);
  git(dir, 'checkout', '--quiet', '--detach', 'HEAD~1');
  const detached = await readGitHead(dir);
  assert.equal(detached?.commit, git(dir, 'rev-parse', 'HEAD'));
  assert.equal(detached?.branch, undefined);
});

test('no repository', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nogit-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // tmpdir itself is not inside a repository on the test machines; a missing HEAD gives undefined.
  const head = await readGitHead(dir);
  assert.ok(head === undefined || head.root !== dir);
});

test('remote URLs from the config, and URL forms that name the same repository', () => {
  const config = '[core]\n\turl = not-a-remote\n[remote "origin"]\n\turl = git@github.com:example/fleet.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n[remote "b"]\n  url = ssh://git@github.com/example/other\n';
  assert.deepEqual(remoteUrls(config), ['git@github.com:example/fleet.git', 'ssh://git@github.com/example/other']);
  const same = ['https://github.com/example/fleet', 'https://github.com/example/fleet.git', 'ssh://git@github.com/example/fleet.git', 'git@github.com:example/fleet.git', 'https://user@github.com/example/fleet/'];
  for (const u of same) assert.equal(normalizeGitUrl(u), 'github.com/example/fleet', u);
  assert.notEqual(normalizeGitUrl('https://github.com/example/fleet2'), 'github.com/example/fleet');
});
