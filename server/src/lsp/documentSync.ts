/**
 * Document sync: the editor's open documents (incremental changes) and the client's watched-file
 * events go into the engine; open documents are validated and published through the session's
 * DiagnosticsPublisher.
 */
import { FileChangeType, TextDocumentSyncKind, type TextDocumentSyncOptions } from 'vscode-languageserver/node';
import type { Session } from './session';

export const TEXT_DOCUMENT_SYNC: TextDocumentSyncOptions = { openClose: true, change: TextDocumentSyncKind.Incremental };

export function registerDocumentSync(session: Session): void {
  const { connection, uris, diagnostics } = session;
  connection.onDidOpenTextDocument(({ textDocument }) => {
    const uri = uris.fromClient(textDocument.uri);
    session.engine?.openDocument(uri, textDocument.text, textDocument.version);
    diagnostics.opened(uri);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const uri = uris.fromClient(textDocument.uri);
    session.engine?.changeDocument(uri, contentChanges, textDocument.version);
    diagnostics.changed(uri);
  });
  connection.onDidCloseTextDocument(async ({ textDocument }) => {
    const uri = uris.fromClient(textDocument.uri);
    diagnostics.forget(uri);
    await session.engine?.closeDocument(uri);
    diagnostics.clear(textDocument.uri);
  });
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      await session.engine?.fileChanged(uris.fromClient(change.uri), kind);
    }
  });
}
