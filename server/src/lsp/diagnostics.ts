/**
 * Diagnostics publishing: open documents are validated through the ValidationQueue (once their
 * changes stop), always on their latest text, and published with the version validated, under the
 * client's spelling of their URI.
 */
import type { Session } from './session';
import { ValidationQueue } from './validationQueue';

export class DiagnosticsPublisher {
  private readonly queue: ValidationQueue;

  constructor(private readonly session: Pick<Session, 'connection' | 'engine' | 'uris' | 'log'>) {
    this.queue = new ValidationQueue(
      (uri) => this.publish(uri),
      (uri, error) => session.log(`validation of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
    );
  }

  /** The document opened: validated on the next quiet turn. */
  opened(uri: string): void {
    this.queue.request(uri);
  }

  /** The document changed: validated once changes stop. */
  changed(uri: string): void {
    this.queue.changed(uri);
  }

  /** Files whose diagnostics went stale because of another file's change are republished once, later. */
  stale(uris: readonly string[]): void {
    for (const uri of uris) this.queue.request(uri);
  }

  /** The document closed: nothing to validate. */
  forget(uri: string): void {
    this.queue.forget(uri);
  }

  /** Clears what the client shows for a closed document (`clientUri`: the client's own spelling). */
  clear(clientUri: string): void {
    void this.session.connection.sendDiagnostics({ uri: clientUri, diagnostics: [] });
  }

  /** Validates the document's latest text (so no result of an older version is ever published). */
  private publish(uri: string): void {
    const { engine, uris, connection } = this.session;
    if (!engine?.documents.isOpen(uri)) return;
    const diagnostics = engine.diagnostics(uri);
    const file = engine.documents.get(uri);
    void connection.sendDiagnostics({ uri: uris.toClient(uri), version: file?.version, diagnostics: uris.diagnostics(diagnostics) });
  }
}
