/**
 * Replaces a file's content through a temporary sibling and a rename, so a reader (or a crash)
 * sees the old text or the new, never part, and a failed write leaves the original intact. A
 * symbolic link is written through, as sops writes: the file it leads to gets the new text and
 * the link stays a link (renaming over the link would replace it and leave the target as it was).
 */
import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file-system calls the write makes; passed in so tests can make one of them fail. */
export type AtomicWriteFs = Pick<typeof nodeFs, 'lstat' | 'realpath' | 'readlink' | 'open' | 'rename' | 'unlink'>;

export async function writeFileAtomically(path: string, text: string, fs: AtomicWriteFs = nodeFs): Promise<void> {
  const target = await realTarget(path, fs);
  const existing = await fs.lstat(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (existing && !existing.isFile()) throw new Error(`${target} is not a regular file; nothing was written`);
  const temp = join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  let created = false;
  try {
    // A new file gets the usual 0666 less the umask; a replaced one its own mode, set below.
    const handle = await fs.open(temp, 'wx', existing ? 0o600 : 0o666);
    created = true;
    try {
      if (existing) {
        // The original's permissions exactly (a 0600 secret stays 0600, whatever the umask), and
        // its owner where we may (root editing someone else's file); a refused chown is not fatal.
        await handle.chmod(existing.mode & 0o777);
        if (existing.uid !== process.getuid?.() || existing.gid !== process.getgid?.()) {
          await handle.chown(existing.uid, existing.gid).catch(() => undefined);
        }
      }
      await handle.writeFile(text, 'utf8');
      // On disk before the rename makes it the file: a crash then cannot leave an empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (error) {
    if (created) await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(target), fs);
}

/**
 * The file a write to `path` means: `path` itself, or the end of its chain of symbolic links. A
 * dangling link (or a loop) is an error: creating the missing target somewhere else is a guess.
 */
async function realTarget(path: string, fs: AtomicWriteFs): Promise<string> {
  const stats = await fs.lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stats?.isSymbolicLink()) return path;
  try {
    return await fs.realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const link = await fs.readlink(path).catch(() => '?');
    const why = code === 'ELOOP' ? 'a loop of symbolic links' : code === 'ENOENT' ? 'a file that does not exist (dangling link)' : `an unreadable path (${code ?? String(error)})`;
    throw new Error(`${path} is a symbolic link (to ${link}) that leads to ${why}; nothing was written`);
  }
}

/** Makes the rename itself durable; platforms that cannot open a directory (Windows) skip it. */
async function syncDirectory(dir: string, fs: AtomicWriteFs): Promise<void> {
  let handle: nodeFs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // The new content is already in place; only its durability across a power cut is not proven.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
