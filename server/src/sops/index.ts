/**
 * The SOPS engine's public entry: the only file of sops/ that code outside it (client, CLI,
 * language server features) imports. Everything else in sops/ is internal.
 */
export { checkRecipient } from './age';
export { writeFileAtomically } from './atomic-write';
export { SopsError } from './errors';
export { decryptFileContent, encryptFileContent } from './files';
export { nodeSopsIo, type SopsIo } from './io';
export { keyAccess, type KeyAccess } from './keyAccess';
export type { DecryptedFile } from './sopsfile';
