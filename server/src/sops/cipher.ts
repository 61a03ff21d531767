/** sops' value cipher: AES-256-GCM with a 32-byte IV, the path as additional data. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { decodeStdBase64 } from './base64';
import { SopsError } from './errors';

export const IV_SIZE = 32;
const TAG_SIZE = 16;
const PREFIX = 'ENC[AES256_GCM,data:';

export interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: string;
}

/** The four fields of a value as text, split where sops' regexp splits them. */
interface ValueFields {
  readonly data: string;
  readonly iv: string;
  readonly tag: string;
  readonly type: string;
}

/**
 * sops' `^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]` in linear time (as a JavaScript
 * regex it backtracks cubically on crafted values). Go's `.` stops at a newline, so the match lies
 * in the first line. Each `.+` is greedy and RE2 splits as a backtracking engine would: every field
 * ends at the last delimiter that still leaves at least one character to each later field, so the
 * delimiters are found right to left: the last `]`, then the last `,type:` before it, and so on.
 */
export function splitEncryptedValue(text: string): ValueFields | undefined {
  if (!text.startsWith(PREFIX)) return undefined;
  const newline = text.indexOf('\n');
  const line = newline === -1 ? text : text.slice(0, newline);
  const close = line.lastIndexOf(']');
  const typeAt = lastBefore(line, ',type:', close - ',type:'.length - 1);
  const tagAt = lastBefore(line, ',tag:', typeAt - ',tag:'.length - 1);
  const ivAt = lastBefore(line, ',iv:', tagAt - ',iv:'.length - 1);
  if (ivAt < PREFIX.length + 1) return undefined;
  return {
    data: line.slice(PREFIX.length, ivAt),
    iv: line.slice(ivAt + ',iv:'.length, tagAt),
    tag: line.slice(tagAt + ',tag:'.length, typeAt),
    type: line.slice(typeAt + ',type:'.length, close),
  };
}

/** The last `delimiter` starting at or before `from`, or -1 (also when `from` is negative). */
function lastBefore(line: string, delimiter: string, from: number): number {
  return from < 0 ? -1 : line.lastIndexOf(delimiter, from);
}

export function isEncryptedValue(text: string): boolean {
  return splitEncryptedValue(text) !== undefined;
}

/** The value's fields, base64 decoded as sops decodes them; `where` names the value in errors. */
export function parseEncryptedValue(text: string, where: string): EncryptedValue {
  const fields = splitEncryptedValue(text);
  if (!fields) throw new SopsError('format', `the value at ${where} does not match sops' data format`);
  const decode = (field: 'data' | 'iv' | 'tag'): Buffer => {
    try {
      return decodeStdBase64(fields[field]);
    } catch (error) {
      throw new SopsError('tampered', `Error base64-decoding ${field} of the value at ${where}: ${(error as Error).message}`);
    }
  };
  return { data: decode('data'), iv: decode('iv'), tag: decode('tag'), type: fields.type };
}

/** Encrypts one value; `iv` is passed to keep an unchanged value's ciphertext on edit. */
export function encryptValue(key: Uint8Array, plaintext: string | Uint8Array, type: string, aad: string, iv: Uint8Array = randomBytes(IV_SIZE)): string {
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_SIZE });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext), cipher.final()]);
  const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64');
  return `ENC[AES256_GCM,data:${b64(data)},iv:${b64(iv)},tag:${b64(cipher.getAuthTag())},type:${type}]`;
}

/** Decrypts one value, or throws a `tampered` SopsError when GCM authentication fails. */
export function decryptValue(key: Uint8Array, text: string, aad: string): { type: string; plaintext: string; bytes: Buffer; iv: Buffer } {
  const value = parseEncryptedValue(text, aad);
  if (value.tag.length !== TAG_SIZE || value.iv.length === 0) {
    throw new SopsError('tampered', `Could not decrypt with AES_GCM: malformed value (at ${aad})`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, value.iv, { authTagLength: TAG_SIZE });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(value.tag);
    const plain = Buffer.concat([decipher.update(value.data), decipher.final()]);
    return { type: value.type, plaintext: plain.toString('utf8'), bytes: plain, iv: value.iv };
  } catch {
    throw new SopsError('tampered', `Could not decrypt with AES_GCM: cipher: message authentication failed (at ${aad})`);
  }
}
