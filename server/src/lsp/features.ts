import type { ServerCapabilities } from 'vscode-languageserver';
import type { Session } from './session';
import { coreLspFeature } from './coreFeatures';
import { findObjectsFeature } from './findObjects';
import { fluxLspFeature } from './fluxFeature';

/**
 * A group of LSP methods (the core language features, definition and references, custom
 * requests...): the capabilities it adds and a function registering its handlers. The server merges
 * the capabilities in `initialize` and calls `register` once, before the connection listens; the
 * handlers find the engine in `session.engine` (there from `initialize` on). They pass every URI
 * they receive through `session.uris.fromClient` and every one they answer with through
 * `session.uris` (locations, links, edits): the client's spelling may not be the engine's. Add one
 * with one line below.
 */
export interface LspFeature {
  readonly capabilities: Partial<ServerCapabilities>;
  register(session: Session): void;
}

export const LSP_FEATURES: readonly LspFeature[] = [
  coreLspFeature,
  findObjectsFeature,
  fluxLspFeature,
];
