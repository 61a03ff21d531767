// Starts code-server (real VS Code 1.100 in the browser) with the packaged extension installed into a
// throwaway user-data and extensions folder, on a free loopback port, without authentication.
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { codeServerBin } from './paths';
import { freePort, removeTempFolder, spawnGroup, trackTempFolder } from './processes';

const run = promisify(execFile);

/** User settings that keep VS Code from showing first-run pages and prompts over the workbench. */
const BASE_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
};

export interface CodeServerOptions {
  /** The folder opened as the workspace. */
  readonly workspace: string;
  /** The packaged extension. */
  readonly vsix: string;
  /**
   * Settings added to (or overriding) the base user settings, also written as the machine's settings:
   * code-server is a remote window, which reads machine-scoped settings (those naming files, such as
   * fluxGitops.crdPaths) only from there, as VS Code reads them from a remote host's settings.
   */
  readonly settings?: Record<string, unknown>;
  /** Environment for code-server and so for the extension host (KUBECONFIG, SOPS_AGE_KEY_FILE...). */
  readonly env?: Record<string, string>;
  /** Where its temporary folders go (default: the system's temp folder). */
  readonly tempParent?: string;
  /** The loopback port (default: a free one). */
  readonly port?: number;
  /**
   * Workspace trust on, as VS Code ships it (default: off, every folder trusted): the folder, new to
   * this user-data folder, opens untrusted in Restricted Mode, without the startup prompt.
   */
  readonly workspaceTrust?: boolean;
}

const TRUST_SETTINGS: Record<string, unknown> = {
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
};

export interface CodeServer {
  readonly url: string;
  /** The throwaway folder holding user data, extensions and logs. */
  readonly root: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const bin = codeServerBin();
  const root = trackTempFolder(await mkdtemp(join(options.tempParent ?? tmpdir(), 'flux-gitops-code-server-')));
  const userData = join(root, 'user-data');
  const extensions = join(root, 'extensions');
  const config = join(root, 'config.yaml');
  await mkdir(join(userData, 'User'), { recursive: true });
  await mkdir(join(userData, 'Machine'), { recursive: true });
  await writeFile(
    join(userData, 'User', 'settings.json'),
    JSON.stringify({ ...BASE_SETTINGS, ...(options.workspaceTrust ? TRUST_SETTINGS : {}), ...options.settings }, null, 2),
  );
  await writeFile(join(userData, 'Machine', 'settings.json'), JSON.stringify(options.settings ?? {}, null, 2));
  await writeFile(config, 'auth: none\ncert: false\n');
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server keeps a little state of its own (last opened folder) here instead of in $HOME.
    XDG_DATA_HOME: join(root, 'xdg-data'),
    // No cluster unless a test passes one: never the user's own kubeconfig.
    KUBECONFIG: join(root, 'no-kubeconfig'),
    ...options.env,
  };
  await run(bin, [...common, '--install-extension', options.vsix], { env, timeout: 120_000 });

  const port = options.port ?? (await freePort());
  const server = spawnGroup(
    bin,
    [
      ...common,
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
      '--disable-getting-started-override',
      options.workspace,
    ],
    { env },
  );
  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => {
    await server.stop();
    await removeTempFolder(root);
  };
  try {
    await waitForHealth(url, () => server.child.exitCode !== null);
  } catch (error) {
    await stop();
    throw new Error(`code-server did not start: ${(error as Error).message}\n${server.output()}`);
  }
  return { url, root, output: server.output, stop };
}

async function waitForHealth(url: string, exited: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error('code-server exited');
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no answer from ${url}healthz within ${timeoutMs} ms`);
}
