/** Types shared by the stores (YAML, dotenv, binary): options in, a decrypted file out. */
import type { EncryptionRule, SopsMetadata } from './metadata';

export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'binary';

export interface EncryptOptions {
  /** Age recipients per key group (one group: no Shamir). */
  readonly keyGroups: readonly (readonly string[])[];
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted?: boolean;
  /** Groups needed to recover the key; defaults to all of them. */
  readonly shamirThreshold?: number;
  /** Indentation of the YAML `sops:` block (sops' `stores.yaml.indent`, default 4). */
  readonly indent?: number;
}

export interface Clock {
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

/**
 * A decrypted file. It keeps (privately) the data key and the IV of every value, so an edit is
 * re-encrypted with the same key, unchanged values keep their ciphertext, and of the metadata
 * only `lastmodified` and `mac` change.
 */
export interface DecryptedFile {
  readonly format: SopsFormat;
  readonly plaintext: string;
  /** The plaintext's exact bytes (a binary file need not be UTF-8). */
  readonly bytes: Uint8Array;
  readonly metadata: SopsMetadata;
  reencrypt(edited: Uint8Array, clock: Clock): string;
}
