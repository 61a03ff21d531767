/**
 * The language server: LSP wiring only (started by server.ts over IPC, as dist/server.js, and by
 * `flux-gitops lsp --stdio`). Everything it answers comes from the headless Engine (engine/); the
 * files of lsp/ turn LSP messages into engine calls: lifecycle.ts (initialize, settings, workspace
 * folders), documentSync.ts, diagnostics.ts (publishing), the LSP feature table (features.ts),
 * clientNotifications.ts, warmUp.ts. URIs cross the boundary through UriSpellings: the engine's
 * spelling inside, the client's own spelling outside.
 */
import type { Connection } from 'vscode-languageserver/node';
import { registerClientNotifications } from './clientNotifications';
import { registerDocumentSync } from './documentSync';
import { LSP_FEATURES } from './features';
import { registerLifecycle } from './lifecycle';
import { Session } from './session';

export function startServer(connection: Connection): void {
  const session = new Session(connection);
  // A failure in an asynchronous notification handler is logged; it must never end the server.
  process.on('unhandledRejection', (error) => session.log(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  registerLifecycle(session);
  registerDocumentSync(session);
  registerClientNotifications(session);
  for (const feature of LSP_FEATURES) feature.register(session);
  connection.listen();
}
