/**
 * The decrypted buffers as VS Code files: `flux-sops:` (editable) and `flux-sops-view:`
 * (read-only) URIs carry the encrypted file's path, its name marked "(decrypted)"; reads and
 * writes go to SopsSessions, so plaintext stays in memory and a save re-encrypts into the original file.
 */
import * as vscode from 'vscode';
import { decryptedPath, originalFilePath } from './decryptedName';
import type { SessionMode, SopsSessions } from './sessions';

export const EDIT_SCHEME = 'flux-sops';
export const VIEW_SCHEME = 'flux-sops-view';

export function decryptedUri(mode: SessionMode, file: vscode.Uri): vscode.Uri {
  return vscode.Uri.from({ scheme: mode === 'edit' ? EDIT_SCHEME : VIEW_SCHEME, path: decryptedPath(file.path) });
}

export function modeOf(uri: vscode.Uri): SessionMode | undefined {
  if (uri.scheme === EDIT_SCHEME) return 'edit';
  if (uri.scheme === VIEW_SCHEME) return 'view';
  return undefined;
}

/** The encrypted file a decrypted URI stands for. */
export function originalPath(uri: vscode.Uri): string {
  return vscode.Uri.file(originalFilePath(uri.path)).fsPath;
}

export class SopsFileSystemProvider implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(
    private readonly mode: SessionMode,
    private readonly sessions: SopsSessions,
    /** Told when a save could not be written to the encrypted file (the edit stays in memory). */
    private readonly onUnwritten: (uri: vscode.Uri, reason: string) => void = () => undefined,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const s = await this.guard(uri, () => this.sessions.stat(this.mode, originalPath(uri)));
    return {
      type: vscode.FileType.File,
      ctime: s.mtime,
      mtime: s.mtime,
      size: s.size,
      ...(this.mode === 'view' ? { permissions: vscode.FilePermission.Readonly } : {}),
    };
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.guard(uri, () => this.sessions.read(this.mode, originalPath(uri)));
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    if (this.mode === 'view') throw vscode.FileSystemError.NoPermissions(uri);
    // A save always "succeeds": a dirty editor would be backed up to disk in plaintext.
    const result = await this.guard(uri, () => this.sessions.write(this.mode, originalPath(uri), content));
    if (!result.written) this.onUnwritten(uri, result.reason);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  /** Errors reach the editor as messages (never with plaintext: engine errors hold none). */
  private async guard<T>(uri: vscode.Uri, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof vscode.FileSystemError) throw error;
      // VS Code also probes paths that are no SOPS file (folders, deleted files): say "not found".
      if (['ENOENT', 'EISDIR', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable((error as Error).message);
    }
  }
}
