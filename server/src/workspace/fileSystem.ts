import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { writeFileAtomically } from '../sops/atomic-write';

/** The file system as the server sees it; passed in so tests and the CLI can swap it. Paths are absolute. */
export interface FileSystem {
  readFile(path: string): Promise<string>;
  /** Entries of a directory; symbolic links are reported as what they point to. */
  readDirectory(path: string): Promise<DirectoryEntry[]>;
  /** Replaces the file atomically (creating its folder): readers see the old text or the new, never part. */
  writeFile(path: string, text: string): Promise<void>;
  isDirectory(path: string): Promise<boolean>;
  /** The path with every symbolic link resolved, so a scan visits a folder once; absent where there are no links. */
  realPath?(path: string): Promise<string>;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly directory: boolean;
}

/** The real file system through node:fs. */
export function nodeFileSystem(): FileSystem {
  return {
    readFile: (p) => fs.readFile(p, 'utf8'),
    async readDirectory(p) {
      const entries = await fs.readdir(p, { withFileTypes: true });
      const result: DirectoryEntry[] = [];
      for (const e of entries) {
        let directory = e.isDirectory();
        if (e.isSymbolicLink()) directory = await fs.stat(path.join(p, e.name)).then((s) => s.isDirectory(), () => false);
        result.push({ name: e.name, directory });
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
