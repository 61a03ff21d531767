/** Whether the local age keys can open a SOPS file, for the CodeLens (no decryption of values). */
import { unwrap } from '../../../server/src/sops/age';
import { readFileMetadata } from '../../../server/src/sops/files';
import type { SopsIo } from '../../../server/src/sops/io';
import { loadIdentities } from '../../../server/src/sops/keys';

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
  let groupsOpened = 0;
  for (const group of metadata.keyGroups) {
    for (const stanza of group.age) {
      if (await unwrap(stanza.enc, identities.keys).catch(() => undefined)) {
        groupsOpened++;
        break;
      }
    }
  }
  const needed = metadata.keyGroups.length > 1 ? metadata.shamirThreshold || metadata.keyGroups.length : 1;
  return {
    recipients: metadata.keyGroups.map((g) => [...g.age.map((s) => s.recipient), ...g.other]),
    canDecrypt: groupsOpened >= needed,
    searched: identities.searched,
  };
}
