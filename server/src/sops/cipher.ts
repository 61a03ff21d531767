/** sops' value cipher: AES-256-GCM with a 32-byte IV, the path as additional data. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { SopsError } from './errors';

export const IV_SIZE = 32;
const TAG_SIZE = 16;
const ENC_VALUE = /^ENC\[AES256_GCM,data:(.+),iv:(.+),tag:(.+),type:(.+)\]/;

export interface EncryptedValue {
  readonly data: Buffer;
  readonly iv: Buffer;
  readonly tag: Buffer;
  readonly type: string;
}

export function isEncryptedValue(text: string): boolean {
  return ENC_VALUE.test(text);
}

export function parseEncryptedValue(text: string): EncryptedValue {
  const m = ENC_VALUE.exec(text);
  if (!m) throw new SopsError('format', "Input string does not match sops' data format");
  return {
    data: Buffer.from(m[1] as string, 'base64'),
    iv: Buffer.from(m[2] as string, 'base64'),
    tag: Buffer.from(m[3] as string, 'base64'),
    type: m[4] as string,
  };
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
  const value = parseEncryptedValue(text);
  if (value.tag.length !== TAG_SIZE || value.iv.length === 0) {
    throw new SopsError('tampered', 'Could not decrypt with AES_GCM: malformed value');
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
