/** File-level SOPS operations shared by the CLI and the extension: the store, the keys, the config. */
import { basename } from 'node:path';
import { decryptBinary, encryptBinary } from './stores/binary';
import { creationRuleFor, findConfig, optionsFromFlags } from './config';
import { decryptDotenv, dotenvMetadata, encryptDotenv } from './stores/dotenv';
import { decryptJson, encryptJson, jsonMetadata } from './stores/json';
import { decrypt, encrypt, yamlMetadata } from './stores/yaml';
import { SopsError } from './errors';
import type { SopsIo } from './io';
import { loadIdentities } from './keys';
import type { SopsMetadata } from './metadata';
import type { DecryptedFile, EncryptOptions, SopsFormat } from './sopsfile';

/** The sops store a path maps to, chosen by extension as sops does. */
export function formatOf(path: string): SopsFormat | 'ini' {
  // Go's filepath.Ext: a file named `.env` has the extension `.env` (Node's extname says '').
  const base = basename(path);
  const ext = base.slice(Math.max(0, base.lastIndexOf('.'))).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') return 'yaml';
  if (ext === '.json') return 'json';
  if (ext === '.env') return 'dotenv';
  if (ext === '.ini') return 'ini';
  return 'binary';
}

function supportedFormat(path: string): SopsFormat {
  const format = formatOf(path);
  if (format === 'ini') {
    throw new SopsError('unsupported-format', `${basename(path)}: the SOPS ini format is not supported in-process (YAML, JSON, dotenv and binary files are)`);
  }
  return format;
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

/** Encrypts a plaintext file's content in the store its extension selects. */
export async function encryptFileContent(path: string, content: Uint8Array, io: SopsIo, flags: EncryptFlags = {}): Promise<string> {
  const format = supportedFormat(path);
  const options = await encryptionOptions(path, io, flags);
  if (format === 'binary') return encryptBinary(content, options, io);
  const text = Buffer.from(content).toString('utf8');
  if (format === 'json') return encryptJson(text, options, io);
  return format === 'dotenv' ? encryptDotenv(text, options, io) : encrypt(text, options, io);
}

/** Decrypts an encrypted file's content (MAC checked) with the user's age keys. */
export async function decryptFileContent(path: string, text: string, io: SopsIo, ageKeyFileSetting?: string): Promise<DecryptedFile> {
  const format = supportedFormat(path);
  const identities = await loadIdentities(io, ageKeyFileSetting);
  if (format === 'binary') return decryptBinary(text, identities);
  if (format === 'json') return decryptJson(text, identities);
  return format === 'dotenv' ? decryptDotenv(text, identities) : decrypt(text, identities);
}

/**
 * The metadata of an encrypted file (recipients, rule), read without any key; undefined when the
 * file is not a SOPS file of a supported format.
 */
export function readFileMetadata(path: string, text: string): SopsMetadata | undefined {
  const format = formatOf(path);
  const read = { yaml: yamlMetadata, json: jsonMetadata, binary: jsonMetadata, dotenv: dotenvMetadata, ini: undefined }[format];
  try {
    return read?.(text);
  } catch {
    return undefined;
  }
}
