/**
 * How a decrypted editor is told apart from the encrypted file: its name carries "(decrypted)"
 * before the extension, so the tab says what it is while VS Code still picks the language from the
 * name's end (`.yaml`, `.json`, `.env`), and a status-bar item says the plaintext is only in memory.
 * Plain functions, no VS Code: the file-system provider maps names both ways with them.
 */
import * as path from 'node:path';
import type { SessionMode } from './sessions';

const MARK = '(decrypted)';
/** The extension kept last: a dot and word characters (a dotfile such as `.env` is all extension). */
const EXTENSION = /\.[A-Za-z0-9_-]+$/;

/**
 * `secret.yaml` → `secret (decrypted).yaml`; `Makefile` → `Makefile (decrypted)`; a dotfile keeps
 * its leading dot, `.env` → `.(decrypted).env`, which VS Code's `.*.env` pattern still matches.
 */
export function decryptedName(name: string): string {
  const extension = EXTENSION.exec(name)?.[0] ?? '';
  const stem = name.slice(0, name.length - extension.length);
  return `${stem ? `${stem} ` : '.'}${MARK}${extension}`;
}

/** The inverse of decryptedName (a name it did not make is returned as it is). */
export function originalName(name: string): string {
  const marked = /^(.+) \(decrypted\)(\.[A-Za-z0-9_-]+)?$/.exec(name) ?? /^\.()\(decrypted\)(\.[A-Za-z0-9_-]+)$/.exec(name);
  return marked ? `${marked[1]}${marked[2] ?? ''}` : name;
}

/** The same, on a URI path (forward slashes). */
export function decryptedPath(file: string): string {
  return path.posix.join(path.posix.dirname(file), decryptedName(path.posix.basename(file)));
}

export function originalFilePath(decrypted: string): string {
  return path.posix.join(path.posix.dirname(decrypted), originalName(path.posix.basename(decrypted)));
}

/** The status-bar item shown while a decrypted editor is active. */
export function decryptedStatus(mode: SessionMode, file: string): { text: string; tooltip: string } {
  const saving = mode === 'edit' ? `saving re-encrypts into ${file}` : 'read-only';
  return { text: '$(unlock) SOPS: decrypted in memory', tooltip: `${path.basename(file)} is shown decrypted; the plaintext is kept in memory only (${saving}).` };
}
