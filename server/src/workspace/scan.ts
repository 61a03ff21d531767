/**
 * The workspace scan: which YAML files under a folder are read, and the reason for every one that is
 * not. It stays inside the folder (a symbolic link whose real path leaves it is not followed), reads
 * only regular files within the size limit (checked before reading), and reports each file it leaves
 * out, so a host can say so instead of passing in silence.
 */
import * as path from 'node:path';
import { FileRefusedError, type FileSystem } from './fileSystem';

/** Folders never scanned: VCS metadata and dependency trees. */
const SKIPPED_FOLDERS = new Set(['.git', 'node_modules', '.hg', '.svn']);

/** How much one scan reads (settings `fluxGitops.scan.*`, lint's `--max-file-size` and `--max-files`). */
export interface ScanLimits {
  /** Files larger than this are not read (generated dumps); documents open in the editor are still checked. */
  readonly maxFileBytes: number;
  /** At most this many YAML files are read per scanned folder: the first in path order. */
  readonly maxFiles: number;
}

export const DEFAULT_SCAN_LIMITS: ScanLimits = { maxFileBytes: 8 * 1024 * 1024, maxFiles: 20_000 };

/** A YAML file (or a folder) the scan did not read, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
  /** The limit that left it out, so each host can name its own knob (a CLI flag, a setting). */
  readonly limit?: keyof ScanLimits;
}

/** A file the scan read, or one it skipped. */
export type ScannedFile = { readonly path: string; readonly text: string } | SkippedFile;

export const LINK_LEAVES_WORKSPACE = 'symbolic link leaves the workspace';

export function isYamlPath(p: string): boolean {
  return p.endsWith('.yaml') || p.endsWith('.yml');
}

/** Whether `target` is `root` or under it (both real paths). */
function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative));
}

/** Why a symbolic link is not followed (it leads nowhere, or out of the root), or undefined. */
async function escapingLink(realPath: (p: string) => Promise<string>, realRoot: string, link: string): Promise<string | undefined> {
  let target: string;
  try {
    target = await realPath(link);
  } catch (error) {
    return `symbolic link leads nowhere (${errorCode(error)})`;
  }
  return isInside(realRoot, target) ? undefined : LINK_LEAVES_WORKSPACE;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException | undefined)?.code ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Every *.yaml / *.yml file under `root` (or `root` itself, whatever its name, when it is not a folder) that the scan will read,
 * sorted, and every one it will not. Entries that are neither regular files nor folders are skipped
 * here, without being opened; sizes are checked when the file is read.
 */
export async function findYamlFiles(fs: FileSystem, root: string, limits: ScanLimits): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  // A file named on its own (a CRD path) is read; the read checks what it is.
  if (!(await fs.isDirectory(root))) return { files: [root], skipped: [] };
  const realPath = async (p: string): Promise<string> => (fs.realPath ? fs.realPath(p) : p);
  const skipped: SkippedFile[] = [];
  const found: string[] = [];
  const realRoot = await realPath(root);
  const pending = [root];
  // Folders by their real path: a linked folder is scanned once, and a link back up (a cycle) not again.
  const visited = new Set<string>();
  while (pending.length) {
    const dir = pending.pop()!;
    let entries;
    try {
      const real = await realPath(dir);
      if (visited.has(real)) continue;
      visited.add(real);
      entries = await fs.readDirectory(dir);
    } catch (error) {
      skipped.push({ path: dir, reason: `folder cannot be read (${errorCode(error)})` });
      continue;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.directory ? SKIPPED_FOLDERS.has(entry.name) : !isYamlPath(entry.name)) continue;
      // Only links need resolving: everything else in a folder inside the root is inside too.
      const linkProblem = entry.symbolicLink ? await escapingLink(realPath, realRoot, full) : undefined;
      if (linkProblem) {
        skipped.push({ path: full, reason: linkProblem });
        continue;
      }
      if (entry.directory) pending.push(full);
      else if (entry.special) skipped.push({ path: full, reason: `not a regular file (${entry.special})` });
      else found.push(full);
    }
  }
  found.sort();
  for (const file of found.slice(limits.maxFiles)) {
    skipped.push({ path: file, reason: `beyond the limit of ${limits.maxFiles} YAML files per folder (the first ones in path order are checked)`, limit: 'maxFiles' });
  }
  return { files: found.slice(0, limits.maxFiles), skipped };
}

/** Reads one file the scan found: its text, or why not (not a regular file, over the size limit, unreadable). */
export async function readYamlFile(fs: FileSystem, file: string, limits: ScanLimits): Promise<ScannedFile> {
  try {
    return { path: file, text: await fs.readFile(file, limits.maxFileBytes) };
  } catch (error) {
    if (!(error instanceof FileRefusedError)) return { path: file, reason: `cannot be read (${errorCode(error)})` };
    return error.refusal === 'size' ? { path: file, reason: `too large: ${error.message}`, limit: 'maxFileBytes' } : { path: file, reason: error.message };
  }
}

/**
 * One file read on its own (a watched file that changed): only if its real path stays inside `root`,
 * the workspace folder holding it, when there is one.
 */
export async function readWorkspaceFile(fs: FileSystem, file: string, root: string | undefined, limits: ScanLimits): Promise<ScannedFile> {
  if (root !== undefined && fs.realPath) {
    // A file that cannot be resolved (gone meanwhile) is left to the read, which says why.
    const [realRoot, real] = await Promise.all([fs.realPath(root).catch(() => root), fs.realPath(file).catch(() => undefined)]);
    if (real !== undefined && !isInside(realRoot, real)) return { path: file, reason: LINK_LEAVES_WORKSPACE };
  }
  return readYamlFile(fs, file, limits);
}

/** The files under `root` one at a time (at most one file's text held), skipped ones first. */
export async function* readYamlFiles(fs: FileSystem, root: string, limits: ScanLimits): AsyncGenerator<ScannedFile> {
  const { files, skipped } = await findYamlFiles(fs, root, limits);
  yield* skipped;
  for (const file of files) yield await readYamlFile(fs, file, limits);
}
