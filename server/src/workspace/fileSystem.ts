import { constants, type Dirent, type Stats } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomically } from '../sops';

/** The file system as the server sees it; passed in so tests and the CLI can swap it. Paths are absolute. */
export interface FileSystem {
  /**
   * The UTF-8 text of a regular file. Refuses (FileRefusedError, before reading a byte) anything else,
   * such as a FIFO or a device, and a file larger than `maxBytes`; never waits for a writer.
   */
  readFile(path: string, maxBytes?: number): Promise<string>;
  /** Entries of a directory; symbolic links are reported as what they point to, and flagged. */
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  /** Replaces the file atomically (creating its folder): readers see the old text or the new, never part. */
  writeFile(path: string, text: string): Promise<void>;
  isDirectory(path: string): Promise<boolean>;
  /** The path with every symbolic link resolved, so a scan visits a folder once; absent where there are no links. */
  realPath?(path: string): Promise<string>;
}

export interface DirectoryEntry {
  readonly name: string;
  /** A folder, or a symbolic link to one. */
  readonly directory: boolean;
  /** A symbolic link; `directory` and `special` describe its target (neither is set when the link leads nowhere). */
  readonly symbolicLink?: boolean;
  /** What an entry that is neither a regular file nor a folder is (`FIFO`, `socket`, `character device`, ...). */
  readonly special?: string;
}

/** Why readFile refused a file without reading it. */
export class FileRefusedError extends Error {
  constructor(
    message: string,
    /** `size`: the file is over the caller's limit; `type`: it is not a regular file. */
    readonly refusal: 'size' | 'type',
  ) {
    super(message);
  }
}

/** The kind of a file that is neither a regular file nor a folder, for messages; undefined for those two. */
export function specialKind(entry: Stats | Dirent): string | undefined {
  if (entry.isFile() || entry.isDirectory()) return undefined;
  if (entry.isFIFO()) return 'FIFO';
  if (entry.isSocket()) return 'socket';
  if (entry.isCharacterDevice()) return 'character device';
  if (entry.isBlockDevice()) return 'block device';
  return 'not a regular file';
}

function refuseUnlessRegular(stats: Stats, maxBytes: number): void {
  if (!stats.isFile()) throw new FileRefusedError(`not a regular file (${specialKind(stats) ?? 'folder'})`, 'type');
  if (stats.size > maxBytes) throw tooBig(stats.size, maxBytes);
}

function tooBig(size: number, maxBytes: number): FileRefusedError {
  return new FileRefusedError(`${size} bytes, over the limit of ${maxBytes} bytes`, 'size');
}

/** Reads to the end, but never more than `maxBytes` (a file may grow after its size was checked, or report 0 like /proc). */
async function readBounded(handle: fs.FileHandle, expected: number, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // One read for a file of the size stat gave (the +1 sees the end), 1 MiB at a time past that.
    const chunk = Buffer.allocUnsafe(Math.min(Math.max(expected - total + 1, 4096), 1 << 20));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    if (bytesRead === 0) break;
    total += bytesRead;
    if (total > maxBytes) throw tooBig(total, maxBytes);
    chunks.push(chunk.subarray(0, bytesRead));
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** The real file system through node:fs. */
export function nodeFileSystem(): FileSystem {
  return {
    async readFile(p, maxBytes = Number.POSITIVE_INFINITY) {
      // Checked before opening: opening a FIFO waits for a writer, a device may never end.
      refuseUnlessRegular(await fs.stat(p), maxBytes);
      // Should the path become a FIFO after the stat, O_NONBLOCK still opens it at once; the checks run
      // again on what was opened. (Windows has no O_NONBLOCK, nor FIFOs in the file system.)
      const handle = await fs.open(p, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
      try {
        const stats = await handle.stat();
        refuseUnlessRegular(stats, maxBytes);
        return await readBounded(handle, stats.size, maxBytes);
      } finally {
        await handle.close();
      }
    },
    async readDirectory(p) {
      const entries = await fs.readdir(p, { withFileTypes: true });
      const result: DirectoryEntry[] = [];
      for (const e of entries) {
        if (!e.isSymbolicLink()) {
          result.push({ name: e.name, directory: e.isDirectory(), special: specialKind(e) });
          continue;
        }
        const target = await fs.stat(path.join(p, e.name)).catch(() => undefined);
        result.push({ name: e.name, symbolicLink: true, directory: target?.isDirectory() ?? false, special: target && specialKind(target) });
      }
      return result;
    },
    async writeFile(p, text) {
      await fs.mkdir(path.dirname(p), { recursive: true });
      // Through a sibling temp file and a rename: a crash or full disk mid-write never leaves a torn file.
      await writeFileAtomically(p, text);
    },
    isDirectory: (p) => fs.stat(p).then((s) => s.isDirectory(), () => false),
    realPath: (p) => fs.realpath(p),
  };
}
