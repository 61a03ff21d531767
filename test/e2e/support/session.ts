// One end-to-end session: a copy of a workspace in a temp folder, the packaged extension, code-server
// and Chromium; close() tears all of it down (also called when a start step fails).
import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startCodeServer, type CodeServer } from './code-server';
import { removeTempFolder, trackTempFolder } from './processes';
import { packageExtension } from './vsix';
import { Workbench, launchBrowser } from './workbench';

export interface SessionOptions {
  /** Screenshot folder name under test-results/e2e/. */
  readonly flow: string;
  /** A folder copied as the workspace (never edited in place). */
  readonly workspaceFrom: string;
  readonly settings?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  /** Workspace trust on: the workspace opens untrusted, in Restricted Mode (see CodeServerOptions). */
  readonly workspaceTrust?: boolean;
  /** Changes made to the workspace copy before code-server opens it (files a flow needs). */
  readonly prepare?: (workspace: string) => Promise<void>;
}

export interface Session {
  readonly workbench: Workbench;
  /** The workspace copy that code-server has open. */
  readonly workspace: string;
  /** The session's own temp folder (workspace copy, packaged extension). */
  readonly tempRoot: string;
  readonly codeServer: CodeServer;
  close(): Promise<void>;
}

export async function startSession(options: SessionOptions): Promise<Session> {
  const tempRoot = trackTempFolder(await mkdtemp(join(tmpdir(), `flux-gitops-e2e-${options.flow}-`)));
  const workspace = join(tempRoot, 'workspace');
  let codeServer: CodeServer | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench | undefined;
  const close = async (): Promise<void> => {
    // The last state, for reading a failure (test-results/e2e/<flow>/NN-at-close.png).
    await workbench?.shot('at-close').catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await codeServer?.stop();
    await removeTempFolder(tempRoot);
  };
  try {
    await cp(options.workspaceFrom, workspace, { recursive: true });
    await options.prepare?.(workspace);
    const vsix = await packageExtension(tempRoot);
    codeServer = await startCodeServer({ workspace, vsix, settings: options.settings, env: options.env, workspaceTrust: options.workspaceTrust });
    browser = await launchBrowser();
    workbench = await Workbench.open(browser, codeServer.url, options.flow);
    return { workbench, workspace, tempRoot, codeServer, close };
  } catch (error) {
    await close();
    throw error;
  }
}
