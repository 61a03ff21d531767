/**
 * What the language server's handlers share: the connection, the engine (created by `initialize`;
 * before it, handlers answer with nothing), the URI spellings of the client, and diagnostics
 * publishing.
 */
import type { Connection } from 'vscode-languageserver/node';
import type { Engine } from '../engine';
import { DiagnosticsPublisher } from './diagnostics';
import { UriSpellings } from './uriSpelling';

export class Session {
  engine: Engine | undefined;
  readonly uris = new UriSpellings();
  readonly diagnostics: DiagnosticsPublisher;

  constructor(readonly connection: Connection) {
    this.diagnostics = new DiagnosticsPublisher(this);
  }

  log(message: string): void {
    this.connection.console.log(message);
  }
}
