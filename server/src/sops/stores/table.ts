/**
 * The one table that picks a file's sops store, by extension as sops does. A new store is one file
 * in stores/ and one row here.
 */
import { basename } from 'node:path';
import { SopsError } from '../errors';
import type { SopsFormat, SopsStore } from '../sopsfile';
import { binaryStore } from './binary';
import { dotenvStore } from './dotenv';
import { jsonStore } from './json';
import { yamlStore } from './yaml';

/** sops' ini store has no in-process implementation: its files are refused with a clear message. */
const INI = 'ini';

const STORES_BY_EXTENSION: readonly { readonly extensions: readonly string[]; readonly store: SopsStore | typeof INI }[] = [
  { extensions: ['.yaml', '.yml'], store: yamlStore },
  { extensions: ['.json'], store: jsonStore },
  { extensions: ['.env'], store: dotenvStore },
  { extensions: ['.ini'], store: INI },
];

/** Any other extension (or none) is sops' binary store. */
const OTHER_EXTENSIONS = binaryStore;

function storeOf(path: string): SopsStore | typeof INI {
  // Go's filepath.Ext: a file named `.env` has the extension `.env` (Node's extname says '').
  const base = basename(path);
  const ext = base.slice(Math.max(0, base.lastIndexOf('.'))).toLowerCase();
  return STORES_BY_EXTENSION.find((row) => row.extensions.includes(ext))?.store ?? OTHER_EXTENSIONS;
}

/** The sops store a path maps to, chosen by extension as sops does. */
export function formatOf(path: string): SopsFormat | typeof INI {
  const store = storeOf(path);
  return store === INI ? INI : store.format;
}

/** The store that reads and writes `path`; throws for the formats not supported in-process. */
export function storeFor(path: string): SopsStore {
  const store = storeOf(path);
  if (store === INI) {
    throw new SopsError('unsupported-format', `${basename(path)}: the SOPS ini format is not supported in-process (YAML, JSON, dotenv and binary files are)`);
  }
  return store;
}
