/**
 * The local repository's HEAD commit, branch and remote URLs, read from `.git` directly (no git
 * binary): `.git` may be a folder or a `gitdir:` file (worktrees, submodules); refs are loose files
 * or lines of `packed-refs`, in the worktree's git dir or its common dir.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

export interface GitHead {
  readonly root: string;
  readonly commit: string;
  readonly branch?: string;
  readonly remotes: readonly string[];
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function findGitDir(start: string): Promise<{ root: string; gitDir: string } | undefined> {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const asFile = await readText(dotGit);
    if (asFile !== undefined) {
      const m = /^gitdir:\s*(.+)$/m.exec(asFile);
      if (m) return { root: dir, gitDir: resolve(dir, m[1]!.trim()) };
    } else if ((await readText(join(dotGit, 'HEAD'))) !== undefined) {
      return { root: dir, gitDir: dotGit };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

async function resolveRef(dirs: readonly string[], ref: string): Promise<string | undefined> {
  for (const dir of dirs) {
    const loose = (await readText(join(dir, ref)))?.trim();
    if (loose && /^[0-9a-f]{40,64}$/.test(loose)) return loose;
  }
  for (const dir of dirs) {
    const packed = await readText(join(dir, 'packed-refs'));
    for (const line of packed?.split('\n') ?? []) {
      const [id, name] = line.trim().split(' ');
      if (name === ref && id && /^[0-9a-f]{40,64}$/.test(id)) return id;
    }
  }
  return undefined;
}

/** Parses `url = ...` lines of `[remote "..."]` sections of a git config file. */
export function remoteUrls(config: string): string[] {
  const urls: string[] = [];
  let inRemote = false;
  for (const line of config.split('\n')) {
    const section = /^\s*\[([^\]]+)\]/.exec(line);
    if (section) inRemote = section[1]!.trim().startsWith('remote ');
    const url = /^\s*url\s*=\s*(.+?)\s*$/.exec(line);
    if (inRemote && url) urls.push(url[1]!);
  }
  return urls;
}

export async function readGitHead(start: string): Promise<GitHead | undefined> {
  const found = await findGitDir(start);
  if (!found) return undefined;
  const common = (await readText(join(found.gitDir, 'commondir')))?.trim();
  const dirs = common ? [found.gitDir, resolve(found.gitDir, common)] : [found.gitDir];
  const head = (await readText(join(found.gitDir, 'HEAD')))?.trim();
  if (!head) return undefined;
  const config = (await readText(join(dirs[dirs.length - 1]!, 'config'))) ?? '';
  const remotes = remoteUrls(config);
  if (!head.startsWith('ref:')) return /^[0-9a-f]{40,64}$/.test(head) ? { root: found.root, commit: head, remotes } : undefined;
  const ref = head.slice(4).trim();
  const commit = await resolveRef(dirs, ref);
  if (!commit) return undefined;
  return { root: found.root, commit, branch: ref.replace(/^refs\/heads\//, ''), remotes };
}

/** A Git URL reduced to host and path, so `https://`, `ssh://git@` and `git@host:` forms compare equal. */
export function normalizeGitUrl(url: string): string {
  let u = url.trim().replace(/\/+$/, '').replace(/\.git$/, '');
  const scp = /^[^@/]+@([^:/]+):(.+)$/.exec(u);
  if (scp) u = `${scp[1]}/${scp[2]}`;
  u = u.replace(/^[a-z+]+:\/\//i, '').replace(/^[^@/]+@/, '');
  return u.toLowerCase();
}
