/**
 * The engine's core language features over LSP: completion and hover (after the initial workspace
 * load, waited for a bounded time), document symbols, folding ranges and quick fixes.
 */
import { CodeActionKind } from 'vscode-languageserver/node';
import type { Engine } from '../engine';
import type { LspFeature } from './features';
import type { Session } from './session';

/** How long completion and hover wait for the initial workspace load before answering anyway. */
const LOAD_WAIT_MS = 10_000;

/** Waits (bounded) until the initial scan is done, so answers do not come from a partial index. */
async function afterLoad(session: Session): Promise<Engine | undefined> {
  const engine = session.engine;
  if (!engine) return undefined;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([engine.whenLoaded(), new Promise((r) => (timer = setTimeout(r, LOAD_WAIT_MS)))]);
  clearTimeout(timer);
  return engine;
}

export const coreLspFeature: LspFeature = {
  capabilities: {
    completionProvider: { triggerCharacters: [':', ' ', '-', '/'] },
    hoverProvider: true,
    documentSymbolProvider: true,
    foldingRangeProvider: true,
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
  },
  register(session) {
    const { connection, uris } = session;
    connection.onCompletion(async ({ textDocument, position }) => (await afterLoad(session))?.completion(uris.fromClient(textDocument.uri), position) ?? []);
    connection.onHover(async ({ textDocument, position }) => (await afterLoad(session))?.hover(uris.fromClient(textDocument.uri), position) ?? null);
    connection.onDocumentSymbol(({ textDocument }) => session.engine?.symbols(uris.fromClient(textDocument.uri)) ?? []);
    connection.onFoldingRanges(({ textDocument }) => session.engine?.folding(uris.fromClient(textDocument.uri)) ?? []);
    connection.onCodeAction(({ textDocument, range, context }) =>
      uris.codeActions(session.engine?.codeActions(uris.fromClient(textDocument.uri), range, context.diagnostics) ?? []));
  },
};
