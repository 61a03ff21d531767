/**
 * Progress of the workspace scan, shown by the client (LSP work-done progress): how many YAML
 * files are indexed so far, and how many were skipped (each one is also in the output log).
 * Clients without progress support get a no-op reporter.
 */
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import type { Engine } from '../engine';

/** The part of the LSP connection this needs (a test can pass a fake). */
export interface ProgressWindow {
  readonly window: { createWorkDoneProgress(): Promise<WorkDoneProgressServerReporter> };
}

/** Files between two progress reports. */
const REPORT_EVERY = 100;

export async function withIndexProgress(connection: ProgressWindow, engine: Pick<Engine, 'documents' | 'onFileSkipped'>, scan: () => Promise<void>): Promise<void> {
  const progress = await connection.window.createWorkDoneProgress().catch(() => undefined);
  let active = true;
  let indexed = 0;
  let skipped = 0;
  const report = (): void => progress?.report(skipped ? `${indexed} files indexed, ${skipped} skipped (see the output log)` : `${indexed} files indexed`);
  // Neither source can remove a listener: these go quiet once the scan is over.
  engine.documents.onDidChange(() => {
    if (!active) return;
    indexed++;
    if (indexed % REPORT_EVERY === 0) report();
  });
  engine.onFileSkipped(() => {
    if (!active) return;
    skipped++;
    report();
  });
  progress?.begin('Flux GitOps: indexing the workspace', undefined, 'scanning YAML files', false);
  try {
    await scan();
  } finally {
    active = false;
    progress?.done();
  }
}
