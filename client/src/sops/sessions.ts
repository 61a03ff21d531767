/**
 * Decrypted editing buffers held in memory, one per open SOPS file: the pure core behind the
 * extension's FileSystemProvider (no VS Code import, so it is tested without VS Code). Plaintext
 * lives only in these objects; saving re-encrypts into the original file through a temporary
 * file of the ENCRYPTED text and a rename; closing drops the buffer.
 */
import { readFile } from 'node:fs/promises';
import { type DecryptedFile, decryptFileContent, SopsError, type SopsIo, writeFileAtomically } from '../../../server/src/sops';

export type SessionMode = 'edit' | 'view';

export interface SessionFiles {
  readText(path: string): Promise<string>;
  writeAtomically(path: string, text: string): Promise<void>;
}

export const nodeSessionFiles: SessionFiles = {
  readText: (path) => readFile(path, 'utf8'),
  writeAtomically: writeFileAtomically,
};

interface Session {
  /** The encrypted text last read or written (to detect changes on disk). */
  encrypted: string;
  decrypted: DecryptedFile;
  /** What the editor holds (its last save), which may be ahead of the file. */
  buffer: Uint8Array;
  mtime: number;
  /** Why the buffer is not in the file, when it is not. */
  unwritten?: string | undefined;
}

export type WriteResult = { readonly written: true } | { readonly written: false; readonly reason: string };

export interface SessionStat {
  readonly size: number;
  readonly mtime: number;
}

export class SopsSessions {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly io: SopsIo,
    private readonly ageKeyFile: () => string | undefined,
    private readonly files: SessionFiles = nodeSessionFiles,
  ) {}

  private static key(mode: SessionMode, path: string): string {
    return `${mode}\0${path}`;
  }

  /** Decrypts `path` into a buffer (again if already open, so the view is current). */
  async open(mode: SessionMode, path: string): Promise<Uint8Array> {
    const encrypted = await this.files.readText(path);
    const decrypted = await decryptFileContent(path, encrypted, this.io, this.ageKeyFile());
    const buffer = Buffer.from(decrypted.bytes);
    this.sessions.set(SopsSessions.key(mode, path), { encrypted, decrypted, buffer, mtime: this.io.now().getTime() });
    return buffer;
  }

  isOpen(mode: SessionMode, path: string): boolean {
    return this.sessions.has(SopsSessions.key(mode, path));
  }

  /** The buffer's bytes; a buffer not open yet (e.g. after a window reload) is decrypted first. */
  async read(mode: SessionMode, path: string): Promise<Uint8Array> {
    return this.sessions.get(SopsSessions.key(mode, path))?.buffer ?? this.open(mode, path);
  }

  async stat(mode: SessionMode, path: string): Promise<SessionStat> {
    const session = this.sessions.get(SopsSessions.key(mode, path));
    if (!session) await this.open(mode, path);
    const s = this.sessions.get(SopsSessions.key(mode, path)) as Session;
    return { size: s.buffer.byteLength, mtime: s.mtime };
  }

  /**
   * Takes the editor's `content` into the buffer and re-encrypts it into the original file,
   * keeping the data key and the IV of every unchanged value. When that cannot be done (the YAML
   * does not parse, the file changed on disk, the write fails) nothing is written and the content
   * stays in memory only, with the reason: the editor must not stay dirty, or VS Code would back
   * its plaintext up to disk.
   */
  async write(mode: SessionMode, path: string, content: Uint8Array): Promise<WriteResult> {
    if (mode === 'view') throw new SopsError('format', 'the decrypted view is read-only: use "Flux: Edit SOPS File" to edit');
    const session = this.sessions.get(SopsSessions.key(mode, path));
    if (!session) throw new SopsError('format', `${path} is not open for editing`);
    session.buffer = Buffer.from(content);
    session.mtime = Math.max(this.io.now().getTime(), session.mtime + 1);
    try {
      const onDisk = await this.files.readText(path);
      if (onDisk !== session.encrypted) {
        throw new SopsError('format', `${path} changed on disk since it was decrypted; close the decrypted editor and open it again`);
      }
      const encrypted = session.decrypted.reencrypt(content, this.io);
      await this.files.writeAtomically(path, encrypted);
      // Decrypt what was written: checks it and refreshes the IV stash for the next save.
      session.decrypted = await decryptFileContent(path, encrypted, this.io, this.ageKeyFile());
      session.encrypted = encrypted;
      session.unwritten = undefined;
      return { written: true };
    } catch (error) {
      session.unwritten = (error as Error).message;
      return { written: false, reason: session.unwritten };
    }
  }

  /** Drops the plaintext of a closed editor; says why, if its last edit could not be written. */
  close(mode: SessionMode, path: string): string | undefined {
    const session = this.sessions.get(SopsSessions.key(mode, path));
    if (!session) return undefined;
    session.buffer.fill(0);
    this.sessions.delete(SopsSessions.key(mode, path));
    return session.unwritten;
  }

  openPaths(): { mode: SessionMode; path: string }[] {
    return [...this.sessions.keys()].map((k) => {
      const [mode, path] = k.split('\0') as [SessionMode, string];
      return { mode, path };
    });
  }
}
