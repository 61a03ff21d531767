/** Replaces a file through a temporary sibling and a rename: a failed write leaves the original intact. */
import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';

export async function writeFileAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  // Keep the original's permissions (secrets are often 0600).
  const mode = await stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o644,
  );
  try {
    await writeFile(temp, text, { mode, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}
