/** File-level SOPS operations shared by the CLI and the extension: the store, the keys, the config. */
import { basename } from 'node:path';
import { creationRuleFor, findConfig, optionsFromFlags } from './config';
import { SopsError } from './errors';
import type { SopsIo } from './io';
import { loadIdentities } from './keys';
import type { SopsMetadata } from './metadata';
import type { DecryptedFile, EncryptOptions } from './sopsfile';
import { storeFor } from './stores/table';

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
  const store = storeFor(path);
  return store.encrypt(content, await encryptionOptions(path, io, flags), io);
}

/** Decrypts an encrypted file's content (MAC checked) with the user's age keys. */
export async function decryptFileContent(path: string, text: string, io: SopsIo, ageKeyFileSetting?: string): Promise<DecryptedFile> {
  const store = storeFor(path);
  return store.decrypt(text, await loadIdentities(io, ageKeyFileSetting));
}

/**
 * The metadata of an encrypted file (recipients, rule), read without any key; undefined when the
 * file is not a SOPS file of a supported format.
 */
export function readFileMetadata(path: string, text: string): SopsMetadata | undefined {
  try {
    return storeFor(path).metadata(text);
  } catch {
    return undefined;
  }
}
