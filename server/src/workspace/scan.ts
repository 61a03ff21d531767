import * as path from 'node:path';
import type { FileSystem } from './fileSystem';

/** Folders never scanned: VCS metadata and dependency trees. */
const SKIPPED = new Set(['.git', 'node_modules', '.hg', '.svn']);
/** Bound on how many YAML files one scan collects (huge monorepos). */
export const MAX_SCANNED_FILES = 20_000;
/** Files larger than this are not read by a scan (generated dumps); open editors still work. */
export const MAX_SCANNED_FILE_BYTES = 8 * 1024 * 1024;

export function isYamlPath(p: string): boolean {
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

/** Every *.yaml / *.yml file under `root` (or `root` itself when it is a file), sorted. */
export async function findYamlFiles(fs: FileSystem, root: string): Promise<string[]> {
  if (!(await fs.isDirectory(root))) return isYamlPath(root) ? [root] : [];
  const found: string[] = [];
  const pending = [root];
  // Folders by their real path: a linked folder is scanned once, and a link back up (a cycle) not again.
  const visited = new Set<string>();
  while (pending.length && found.length < MAX_SCANNED_FILES) {
    const dir = pending.pop()!;
    const real = fs.realPath ? await fs.realPath(dir).catch(() => undefined) : dir;
    if (real === undefined || visited.has(real)) continue;
    visited.add(real);
    const entries = await fs.readDirectory(dir).catch(() => []);
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.directory) {
        if (!SKIPPED.has(entry.name)) pending.push(full);
      } else if (isYamlPath(entry.name)) found.push(full);
    }
  }
  return found.sort();
}
