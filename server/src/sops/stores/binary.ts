/**
 * sops' binary store (any extension but .yaml/.yml/.json/.env/.ini): the whole file is one string
 * `data`, stored as sops' JSON store writes it: `{"data": "ENC[…]", "sops": {…}}`.
 */
import { Opener, type Sealer } from '../crypt';
import { recoverDataKey } from '../datakey';
import { SopsError } from '../errors';
import type { Identities } from '../keys';
import { emitJson, jsonMetadata, toJsonValue } from './json';
import { decryptedFile, startEncryption, startReencryption, type KeyState } from '../lifecycle';
import { metadataObject, readMetadataObject } from '../metadata';
import type { Clock, DecryptedFile, EncryptOptions, SopsStore } from '../sopsfile';


function sealData(plaintext: Uint8Array, sealer: Sealer): string {
  const text = Buffer.from(plaintext).toString('utf8');
  return sealer.value(['data'], [[]], { type: 'str', text }, plaintext) ?? text;
}

export async function encryptBinary(plaintext: Uint8Array, options: EncryptOptions, clock: Clock): Promise<string> {
  const { sealer, finish } = await startEncryption(options, clock);
  const data = sealData(plaintext, sealer);
  return emitJson(toJsonValue({ data, sops: metadataObject(finish()) }));
}

interface BinaryState extends KeyState {
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
  return decryptedFile('binary', bytes, metadata, (edited, clock) => {
    const { sealer, finish } = startReencryption(state, clock);
    const newData = sealData(edited, sealer);
    const { lastModified, mac } = finish();
    return emitJson(toJsonValue({ data: newData, sops: { ...state.sops, lastmodified: lastModified, mac } }));
  });
}

/** sops' binary store (any other extension); its file is sops JSON, so its metadata is read as JSON's. */
export const binaryStore: SopsStore = {
  format: 'binary',
  metadata: jsonMetadata,
  encrypt: encryptBinary,
  decrypt: decryptBinary,
};
