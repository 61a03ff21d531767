/** File-level SOPS operations shared by the CLI and the extension: format check, keys, config. */
import { basename, extname } from 'node:path';
import { creationRuleFor, findConfig, optionsFromFlags } from './config';
import { decrypt, encrypt, reencrypt, type DecryptedFile, type EncryptOptions } from './engine';
import { SopsError } from './errors';
import type { SopsIo } from './io';
import { loadIdentities } from './keys';

/** The sops store a path maps to, chosen by extension as sops does. */
export function formatOf(path: string): 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary' {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.env') return 'dotenv';
  if (ext === '.ini') return 'ini';
  return 'binary';
}

function requireYaml(path: string): void {
  const format = formatOf(path);
  if (format !== 'yaml') {
    throw new SopsError('unsupported-format', `${basename(path)}: the SOPS ${format} format is not supported in-process, only YAML (.yaml, .yml) is`);
  }
}

export interface EncryptFlags {
  readonly recipients?: readonly string[];
  readonly encryptedRegex?: string;
}

/** Encryption options: explicit recipients, else the `.sops.yaml` creation rule for the file. */
export async function encryptionOptions(path: string, io: SopsIo, flags: EncryptFlags = {}): Promise<EncryptOptions> {
  if (flags.recipients && flags.recipients.length > 0) return optionsFromFlags(flags.recipients, flags.encryptedRegex);
  const config = await findConfig(path, io);
  if (!config) {
    throw new SopsError('config', `no age recipients: pass --age, or add a .sops.yaml with creation_rules in ${basename(path)}'s folder or above`);
  }
  const options = creationRuleFor(path, config);
  return flags.encryptedRegex !== undefined ? { ...options, rule: { kind: 'encrypted_regex', value: flags.encryptedRegex } } : options;
}

export async function encryptText(path: string, text: string, io: SopsIo, flags: EncryptFlags = {}): Promise<string> {
  requireYaml(path);
  return encrypt(text, await encryptionOptions(path, io, flags), io);
}

export async function decryptText(path: string, text: string, io: SopsIo, ageKeyFileSetting?: string): Promise<DecryptedFile> {
  requireYaml(path);
  return decrypt(text, await loadIdentities(io, ageKeyFileSetting));
}

/** Re-encrypts an edit of `originalText` (decrypted again here, so its MAC is checked first). */
export async function reencryptText(path: string, originalText: string, editedPlaintext: string, io: SopsIo, ageKeyFileSetting?: string): Promise<string> {
  const original = await decryptText(path, originalText, io, ageKeyFileSetting);
  return reencrypt(original, editedPlaintext, io);
}
