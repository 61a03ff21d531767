/**
 * The SOPS engine's public entry: the only file of sops/ that code outside it (client, CLI,
 * language server features) imports. Everything else in sops/ is internal.
 */
export { checkRecipient } from './age';
export { writeFileAtomically } from './atomic-write';
export { recoverDataKey } from './datakey';
export { SopsError, type SopsErrorKind } from './errors';
export { decryptFileContent, encryptFileContent, readFileMetadata } from './files';
export { nodeSopsIo, type SopsIo } from './io';
export { loadIdentities } from './keys';
export type { DecryptedFile } from './sopsfile';
