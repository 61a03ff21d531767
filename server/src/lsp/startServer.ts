/**
 * The language server: LSP wiring only (started by server.ts and by `flux-gitops lsp`). Everything it answers comes from the headless Engine
 * (engine.ts); this file turns LSP messages into engine calls and publishes diagnostics. URIs cross the
 * boundary through UriSpellings: the engine's spelling inside, the client's own spelling outside.
 * Started by the VS Code client over IPC (dist/server.js) or by `flux-gitops lsp --stdio`.
 */
import {
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Engine } from '../engine';
import { nodeFileSystem } from '../workspace/fileSystem';
import { canonicalUri, uriToPath } from '../workspace/uri';
import { LSP_FEATURES } from './features';
import { warmUpSteps } from './warmUp';
import { withIndexProgress } from './indexProgress';
import { Session } from './session';
import { TEXT_DOCUMENT_SYNC, registerDocumentSync } from './documentSync';
import { registerClientNotifications } from './clientNotifications';

export function startServer(connection: Connection): void {
  const fs = nodeFileSystem();
  let loaded: () => void = () => undefined;
  const initialLoad = new Promise<void>((resolve) => (loaded = resolve));
  const session = new Session(connection);
  let configurationSupported = false;
  const folders: string[] = [];
  const { diagnostics } = session;
  /** A workspace folder's path, with the drive letter as the engine spells it. */
  const folderPath = (uri: string): string | undefined => uriToPath(canonicalUri(uri));
  const log = (message: string): void => session.log(message);
  // A failure in an asynchronous notification handler is logged; it must never end the server.
  process.on('unhandledRejection', (error) => log(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));

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
    // Starts at once, while the scan and CRD loading mostly wait for I/O. One small step per
    // event-loop turn: LSP messages, handled in their own turns, never wait for the whole warm-up.
    const schemas = engine.schemas;
    const steps = warmUpSteps(() => new Engine({ fs }), () => schemas.seenCrds());
    const step = (): void => {
      try {
        if (!steps.next().done) setImmediate(step);
      } catch (error) {
        log(`warm-up failed: ${String(error)}`);
      }
    };
    setImmediate(step);
    try {
      await refreshSettings();
      await engine.loadCrdCache();
      const scanned = engine;
      await withIndexProgress(connection, scanned, async () => {
        for (const folder of folders) await scanned.addWorkspaceFolder(folder);
      });
    } catch (error) {
      log(`workspace scan failed: ${String(error)}`);
    } finally {
      loaded();
    }
    diagnostics.stale(engine.documents.openUris());
  });

  registerDocumentSync(session);
  connection.onDidChangeConfiguration(async (params) => {
    if (configurationSupported) await refreshSettings();
    else {
      const settings = (params.settings as { fluxGitops?: unknown } | undefined)?.fluxGitops;
      if (settings) await session.engine?.updateSettings(settings);
    }
    diagnostics.stale(session.engine?.documents.openUris() ?? []);
  });
  registerClientNotifications(session);
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

  for (const feature of LSP_FEATURES) feature.register(session);

  connection.listen();
}
