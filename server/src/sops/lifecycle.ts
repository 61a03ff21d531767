/** The steps every store repeats: start an encryption, re-seal an edit, hand out a decrypted file. */
import { formatLastModified, Sealer, type IvStash } from './crypt';
import { wrapDataKey } from './datakey';
import type { NewMetadata, SopsMetadata } from './metadata';
import type { Clock, DecryptedFile, EncryptOptions, SopsFormat } from './sopsfile';

/** A fresh data key wrapped for the recipients, a sealer for the values, and the metadata once sealed. */
export async function startEncryption(options: EncryptOptions, clock: Clock): Promise<{ sealer: Sealer; finish(): NewMetadata }> {
  const dataKey = clock.randomBytes(32);
  const wrapped = await wrapDataKey(dataKey, options.keyGroups, options.shamirThreshold, clock.randomBytes);
  const macOnly = options.macOnlyEncrypted ?? false;
  const sealer = new Sealer(dataKey, options.rule, macOnly, clock.randomBytes);
  return {
    sealer,
    finish: () => {
      const lastModified = formatLastModified(clock.now());
      return { ...wrapped, lastModified, mac: sealer.mac(lastModified), rule: options.rule, macOnlyEncrypted: macOnly };
    },
  };
}

/** What a decryption keeps for re-encrypting an edit. */
export interface KeyState {
  readonly metadata: SopsMetadata;
  readonly dataKey: Uint8Array;
  readonly ivs: IvStash;
}

/** A sealer with the file's key and IVs, and the new lastmodified/mac once sealed. */
export function startReencryption(state: KeyState, clock: Clock): { sealer: Sealer; finish(): { lastModified: string; mac: string } } {
  const sealer = new Sealer(state.dataKey, state.metadata.rule, state.metadata.macOnlyEncrypted, clock.randomBytes, state.ivs);
  return {
    sealer,
    finish: () => {
      const lastModified = formatLastModified(clock.now());
      return { lastModified, mac: sealer.mac(lastModified) };
    },
  };
}

export function decryptedFile(format: SopsFormat, bytes: Buffer, metadata: SopsMetadata, reencrypt: (edited: Uint8Array, clock: Clock) => string): DecryptedFile {
  return { format, plaintext: bytes.toString('utf8'), bytes, metadata, reencrypt };
}
