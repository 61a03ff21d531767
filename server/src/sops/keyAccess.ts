/**
 * Whether the local age keys can open a SOPS file, for the CodeLens (no decryption of values): the
 * recipients per key group, and whether the data key is recovered as a decryption would recover it.
 */
import { recoverDataKey } from './datakey';
import { readFileMetadata } from './files';
import type { SopsIo } from './io';
import { loadIdentities } from './keys';

export interface KeyAccess {
  /** Recipients per key group. */
  readonly recipients: readonly (readonly string[])[];
  readonly canDecrypt: boolean;
  readonly searched: readonly string[];
}

/** Undefined when `text` is not a SOPS file. */
export async function keyAccess(path: string, text: string, io: SopsIo, ageKeyFile: string | undefined): Promise<KeyAccess | undefined> {
  const metadata = readFileMetadata(path, text);
  if (!metadata) return undefined;
  const identities = await loadIdentities(io, ageKeyFile).catch((error: Error) => ({ keys: [], searched: [error.message], unsupported: [] }));
  // The data key only, recovered as a decryption would (every entry, Shamir threshold); no value is decrypted.
  const canDecrypt = await recoverDataKey(metadata, identities).then(
    () => true,
    () => false,
  );
  return {
    recipients: metadata.keyGroups.map((g) => [...g.age.map((s) => s.recipient), ...g.other]),
    canDecrypt,
    searched: identities.searched,
  };
}
