import type { Connection, ServerCapabilities } from 'vscode-languageserver';
import type { Engine } from '../engine';
import type { UriSpellings } from './uriSpelling';
import { findObjectsFeature } from './findObjects';
import { fluxLspFeature } from './fluxFeature';

/**
 * An LSP feature beyond the core ones (definition, references, code lens, custom requests...):
 * the capabilities it adds and a function registering its handlers. server.ts merges the
 * capabilities and calls `register` once the connection exists. Add one with one line below.
 * Handlers pass every URI they receive through `uris.fromClient` and every one they answer with
 * through `uris` (locations, links, edits): the client's spelling may not be the engine's.
 */
export interface LspFeature {
  readonly capabilities: Partial<ServerCapabilities>;
  register(connection: Connection, engine: Engine, uris: UriSpellings): void;
}

export const LSP_FEATURES: readonly LspFeature[] = [
  findObjectsFeature,
  fluxLspFeature,
];
