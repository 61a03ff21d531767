/**
 * Progress of the workspace scan, shown by the client (LSP work-done progress): how many YAML
 * files are indexed so far. Clients without progress support get a no-op reporter.
 */
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { DocumentStore } from '../../documents/store';

/** The part of the LSP connection this needs (a test can pass a fake). */
export interface ProgressWindow {
  readonly window: { createWorkDoneProgress(): Promise<WorkDoneProgressServerReporter> };
}

/** Files between two progress reports. */
const REPORT_EVERY = 100;

export async function withIndexProgress(connection: ProgressWindow, documents: DocumentStore, scan: () => Promise<void>): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  let active = true;
  let indexed = 0;
  // The store has no way to remove a listener: this one goes quiet once the scan is over.
  documents.onDidChange(() => {
    if (!active) return;
    indexed++;
    if (indexed % REPORT_EVERY === 0) progress?.report(`${indexed} files indexed`);
  });
  progress?.begin('Flux GitOps: indexing the workspace', undefined, 'scanning YAML files', false);
  try {
    await scan();
  } finally {
    active = false;
    progress?.done();
  }
}
