/** Types shared by the stores (stores/: YAML, JSON, dotenv, binary): options in, a decrypted file out. */
import type { Identities } from './keys';
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

/** One sops store (a file format): stores/ holds one file per store, stores/table.ts picks it. */
export interface SopsStore {
  readonly format: SopsFormat;
  /** The metadata (recipients, rule), read without any key. */
  metadata(text: string): SopsMetadata;
  /** Encrypts a plaintext file's bytes (fresh data key and IVs). */
  encrypt(plaintext: Uint8Array, options: EncryptOptions, clock: Clock): Promise<string>;
  /** Decrypts a file; throws on a wrong key, a tampered value or a MAC mismatch. */
  decrypt(text: string, identities: Identities): Promise<DecryptedFile>;
}
