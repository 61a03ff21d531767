/**
 * sops' binary store (any extension but .yaml/.yml/.json/.env/.ini): the whole file is one string
 * `data`, stored as sops' JSON store writes it: `{"data": "ENC[…]", "sops": {…}}`.
 */
import { formatLastModified, Opener, Sealer, type IvStash } from './crypt';
import { recoverDataKey, wrapDataKey } from './datakey';
import { SopsError } from './errors';
import type { Identities } from './keys';
import { emitJson, toJsonValue } from './json';
import { metadataObject, readMetadataObject, type SopsMetadata } from './metadata';
import type { Clock, DecryptedFile, EncryptOptions } from './sopsfile';


function sealData(plaintext: Uint8Array, sealer: Sealer): string {
  const text = Buffer.from(plaintext).toString('utf8');
  return sealer.value(['data'], [[]], { type: 'str', text }, plaintext) ?? text;
}

export async function encryptBinary(plaintext: Uint8Array, options: EncryptOptions, clock: Clock): Promise<string> {
  const dataKey = clock.randomBytes(32);
  const wrapped = await wrapDataKey(dataKey, options.keyGroups, options.shamirThreshold, clock.randomBytes);
  const macOnly = options.macOnlyEncrypted ?? false;
  const sealer = new Sealer(dataKey, options.rule, macOnly, clock.randomBytes);
  const data = sealData(plaintext, sealer);
  const lastModified = formatLastModified(clock.now());
  const sops = metadataObject({ ...wrapped, lastModified, mac: sealer.mac(lastModified), rule: options.rule, macOnlyEncrypted: macOnly });
  return emitJson(toJsonValue({ data, sops }));
}

interface BinaryState {
  readonly metadata: SopsMetadata;
  readonly dataKey: Uint8Array;
  readonly ivs: IvStash;
  /** The stored `sops` object, written back as it was but for lastmodified and mac. */
  readonly sops: Record<string, unknown>;
}

export async function decryptBinary(source: string, identities: Identities): Promise<DecryptedFile> {
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch {
    throw new SopsError('format', 'Error unmarshalling input json: not a SOPS binary file');
  }
  const file = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>;
  const sops = file['sops'];
  if (!sops || typeof sops !== 'object' || Array.isArray(sops)) throw new SopsError('metadata-not-found', 'sops metadata not found');
  const data = file['data'];
  if (typeof data !== 'string') throw new SopsError('format', 'a SOPS binary file needs a string "data"');
  const metadata = readMetadataObject(sops as Record<string, unknown>);
  const dataKey = await recoverDataKey(metadata, identities);
  const opener = new Opener(dataKey, metadata);
  const opened = opener.value(['data'], [[]], { type: 'str', text: data }, data);
  opener.verifyMac();
  const bytes = opened.kind === 'value' ? opened.bytes : Buffer.from(data, 'utf8');
  const state: BinaryState = { metadata, dataKey, ivs: opener.ivs, sops: sops as Record<string, unknown> };
  return {
    format: 'binary',
    plaintext: bytes.toString('utf8'),
    bytes,
    metadata,
    reencrypt: (edited, clock) => {
      const sealer = new Sealer(state.dataKey, state.metadata.rule, state.metadata.macOnlyEncrypted, clock.randomBytes, state.ivs);
      const newData = sealData(edited, sealer);
      const lastModified = formatLastModified(clock.now());
      return emitJson(toJsonValue({ data: newData, sops: { ...state.sops, lastmodified: lastModified, mac: sealer.mac(lastModified) } }));
    },
  };
}
