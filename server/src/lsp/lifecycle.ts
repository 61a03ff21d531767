/**
 * The server's lifecycle: `initialize` creates the engine and answers the capabilities (the LSP
 * feature table's merged); `initialized` starts the warm-up, reads the settings and the CRD cache,
 * and scans the workspace folders (with progress), which position features wait for; then the
 * settings and the workspace folders as they change. Shutdown and exit are the library's defaults.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Engine } from '../engine';
import { nodeFileSystem } from '../workspace/fileSystem';
import { canonicalUri, uriToPath } from '../workspace/uri';
import { TEXT_DOCUMENT_SYNC } from './documentSync';
import { LSP_FEATURES } from './features';
import { withIndexProgress } from './indexProgress';
import type { Session } from './session';
import { startWarmUp } from './warmUp';

/** A workspace folder's path, with the drive letter as the engine spells it. */
function folderPath(uri: string): string | undefined {
  return uriToPath(canonicalUri(uri));
}

export function registerLifecycle(session: Session): void {
  const { connection, diagnostics } = session;
  const fs = nodeFileSystem();
  const log = (message: string): void => session.log(message);
  let loaded: () => void = () => undefined;
  const initialLoad = new Promise<void>((resolve) => (loaded = resolve));
  let configurationSupported = false;
  const folders: string[] = [];

  const refreshSettings = async (): Promise<void> => {
    const engine = session.engine;
    if (!engine || !configurationSupported) return;
    const section: unknown = await connection.workspace.getConfiguration('fluxGitops');
    await engine.updateSettings(section);
  };

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { globalStoragePath?: unknown };
    const engine = (session.engine = new Engine({
      fs,
      globalStoragePath: typeof options.globalStoragePath === 'string' ? options.globalStoragePath : undefined,
      log,
    }));
    engine.onDiagnosticsStale((uris) => diagnostics.stale(uris));
    engine.onFileSkipped(({ path, reason, limit }) =>
      connection.console.warn(`not indexed: ${path}: ${reason}${limit ? ` (setting fluxGitops.scan.${limit})` : ''}`));
    engine.trackLoading(initialLoad);
    configurationSupported = params.capabilities.workspace?.configuration === true;
    for (const folder of params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])) {
      const p = folderPath(folder.uri);
      if (p) folders.push(p);
    }
    const capabilities: InitializeResult['capabilities'] = {
      textDocumentSync: TEXT_DOCUMENT_SYNC,
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const feature of LSP_FEATURES) Object.assign(capabilities, feature.capabilities);
    return { capabilities, serverInfo: { name: 'flux-gitops' } };
  });

  connection.onInitialized(async () => {
    const engine = session.engine;
    if (!engine) return;
    if (configurationSupported) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'fluxGitops' });
    // Starts at once, while the scan and CRD loading mostly wait for I/O.
    const schemas = engine.schemas;
    startWarmUp(() => new Engine({ fs }), () => schemas.seenCrds(), log);
    try {
      await refreshSettings();
      await engine.loadCrdCache();
      await withIndexProgress(connection, engine, async () => {
        for (const folder of folders) await engine.addWorkspaceFolder(folder);
      });
    } catch (error) {
      log(`workspace scan failed: ${String(error)}`);
    } finally {
      loaded();
    }
    diagnostics.stale(engine.documents.openUris());
  });

  connection.onDidChangeConfiguration(async (params) => {
    if (configurationSupported) await refreshSettings();
    else {
      const settings = (params.settings as { fluxGitops?: unknown } | undefined)?.fluxGitops;
      if (settings) await session.engine?.updateSettings(settings);
    }
    diagnostics.stale(session.engine?.documents.openUris() ?? []);
  });

  connection.onNotification(DidChangeWorkspaceFoldersNotification.type, async ({ event }) => {
    for (const removed of event.removed) {
      const p = folderPath(removed.uri);
      if (p) session.engine?.removeWorkspaceFolder(p);
    }
    for (const added of event.added) {
      const p = folderPath(added.uri);
      if (p) await session.engine?.addWorkspaceFolder(p);
    }
    diagnostics.stale(session.engine?.documents.openUris() ?? []);
  });
}
