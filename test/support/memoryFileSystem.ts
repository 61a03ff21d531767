// An in-memory FileSystem (server/src/workspace/fileSystem.ts) for tests: absolute POSIX paths → text.
import * as path from 'node:path';
import type { DirectoryEntry, FileSystem } from '../../server/src/workspace/fileSystem';

export function memoryFileSystem(files: Record<string, string>): FileSystem & { files: Record<string, string> } {
  const store = { ...files };
  const isDir = (p: string): boolean => Object.keys(store).some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`));
  return {
    files: store,
    async readFile(p) {
      const text = store[p];
      if (text === undefined) throw new Error(`ENOENT: ${p}`);
      return text;
    },
    async readDirectory(p) {
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const entries = new Map<string, DirectoryEntry>();
      for (const f of Object.keys(store)) {
        if (!f.startsWith(prefix)) continue;
        const [name, ...rest] = f.slice(prefix.length).split('/');
        entries.set(name!, { name: name!, directory: rest.length > 0 });
      }
      return [...entries.values()];
    },
    async writeFile(p, text) {
      store[path.normalize(p)] = text;
    },
    isDirectory: async (p) => isDir(p),
  };
}
