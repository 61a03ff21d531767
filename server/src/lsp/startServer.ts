/**
 * The language server: LSP wiring only (started by server.ts and by `flux-gitops lsp`). Everything it answers comes from the headless Engine
 * (engine.ts); this file turns LSP messages into engine calls and publishes diagnostics. URIs cross the
 * boundary through UriSpellings: the engine's spelling inside, the client's own spelling outside.
 * Started by the VS Code client over IPC (dist/server.js) or by `flux-gitops lsp --stdio`.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWorkspaceFoldersNotification,
  FileChangeType,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { Engine } from '../engine';
import { CurrentClusterNotification, LiveCrdsNotification } from '../protocol';
import { nodeFileSystem } from '../workspace/fileSystem';
import { canonicalUri, uriToPath } from '../workspace/uri';
import { UriSpellings } from './uriSpelling';
import { LSP_FEATURES } from './features';
import { warmUpSteps } from './warmUp';
import { withIndexProgress } from './indexProgress';
import { ValidationQueue } from './validationQueue';

/** How long completion and hover wait for the initial workspace load before answering anyway. */
const LOAD_WAIT_MS = 10_000;

export function startServer(connection: Connection): void {
  const fs = nodeFileSystem();
  let loaded: () => void = () => undefined;
  const initialLoad = new Promise<void>((resolve) => (loaded = resolve));
  let engine: Engine | undefined;
  let configurationSupported = false;
  const folders: string[] = [];
  const uris = new UriSpellings();
  /** A workspace folder's path, with the drive letter as the engine spells it. */
  const folderPath = (uri: string): string | undefined => uriToPath(canonicalUri(uri));
  const log = (message: string): void => connection.console.log(message);
  // A failure in an asynchronous notification handler is logged; it must never end the server.
  process.on('unhandledRejection', (error) => log(`unhandled: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  /** Waits (bounded) until the initial scan is done, so answers do not come from a partial index. */
  const afterLoad = async (): Promise<Engine | undefined> => {
    if (!engine) return undefined;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([engine.whenLoaded(), new Promise((r) => (timer = setTimeout(r, LOAD_WAIT_MS)))]);
    clearTimeout(timer);
    return engine;
  };

  /** Validates the document's latest text (so no result of an older version is ever published). */
  const publish = (uri: string): void => {
    if (!engine?.documents.isOpen(uri)) return;
    const diagnostics = engine.diagnostics(uri);
    const file = engine.documents.get(uri);
    void connection.sendDiagnostics({ uri: uris.toClient(uri), version: file?.version, diagnostics: uris.diagnostics(diagnostics) });
  };
  const validation = new ValidationQueue(publish, (uri, error) => log(`validation of ${uri} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`));
  // Files whose diagnostics went stale because of another file's change are republished once, later.
  const publishStale = (uris: readonly string[]): void => {
    for (const uri of uris) validation.request(uri);
  };
  const refreshSettings = async (): Promise<void> => {
    if (!engine || !configurationSupported) return;
    const section: unknown = await connection.workspace.getConfiguration('fluxGitops');
    await engine.updateSettings(section);
  };

  connection.onInitialize((params): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { globalStoragePath?: unknown };
    engine = new Engine({
      fs,
      globalStoragePath: typeof options.globalStoragePath === 'string' ? options.globalStoragePath : undefined,
      log,
    });
    engine.onDiagnosticsStale(publishStale);
    engine.onFileSkipped(({ path, reason, limit }) =>
      connection.console.warn(`not indexed: ${path}: ${reason}${limit ? ` (setting fluxGitops.scan.${limit})` : ''}`));
    engine.trackLoading(initialLoad);
    configurationSupported = params.capabilities.workspace?.configuration === true;
    for (const folder of params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri }] : [])) {
      const p = folderPath(folder.uri);
      if (p) folders.push(p);
    }
    const capabilities: InitializeResult['capabilities'] = {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      completionProvider: { triggerCharacters: [':', ' ', '-', '/'] },
      hoverProvider: true,
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    };
    for (const feature of LSP_FEATURES) Object.assign(capabilities, feature.capabilities);
    return { capabilities, serverInfo: { name: 'flux-gitops' } };
  });

  connection.onInitialized(async () => {
    if (!engine) return;
    if (configurationSupported) void connection.client.register(DidChangeConfigurationNotification.type, { section: 'fluxGitops' });
    for (const feature of LSP_FEATURES) feature.register(connection, engine, uris);
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
    publishStale(engine.documents.openUris());
  });

  connection.onDidOpenTextDocument(({ textDocument }) => {
    const uri = uris.fromClient(textDocument.uri);
    engine?.openDocument(uri, textDocument.text, textDocument.version);
    validation.request(uri);
  });
  connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
    const uri = uris.fromClient(textDocument.uri);
    engine?.changeDocument(uri, contentChanges, textDocument.version);
    validation.changed(uri);
  });
  connection.onDidCloseTextDocument(async ({ textDocument }) => {
    const uri = uris.fromClient(textDocument.uri);
    validation.forget(uri);
    await engine?.closeDocument(uri);
    void connection.sendDiagnostics({ uri: textDocument.uri, diagnostics: [] });
  });
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const change of changes) {
      const kind = change.type === FileChangeType.Created ? 'created' : change.type === FileChangeType.Deleted ? 'deleted' : 'changed';
      await engine?.fileChanged(uris.fromClient(change.uri), kind);
    }
  });
  connection.onDidChangeConfiguration(async (params) => {
    if (configurationSupported) await refreshSettings();
    else {
      const settings = (params.settings as { fluxGitops?: unknown } | undefined)?.fluxGitops;
      if (settings) await engine?.updateSettings(settings);
    }
    publishStale(engine?.documents.openUris() ?? []);
  });
  connection.onNotification(LiveCrdsNotification, (params) => void engine?.setLiveCrds(params.context, params.crds));
  connection.onNotification(CurrentClusterNotification, (params) => engine?.setCurrentCluster(params.context ?? undefined));
  connection.onNotification(DidChangeWorkspaceFoldersNotification.type, async ({ event }) => {
    for (const removed of event.removed) {
      const p = folderPath(removed.uri);
      if (p) engine?.removeWorkspaceFolder(p);
    }
    for (const added of event.added) {
      const p = folderPath(added.uri);
      if (p) await engine?.addWorkspaceFolder(p);
    }
    publishStale(engine?.documents.openUris() ?? []);
  });

  connection.onCompletion(async ({ textDocument, position }) => (await afterLoad())?.completion(uris.fromClient(textDocument.uri), position) ?? []);
  connection.onHover(async ({ textDocument, position }) => (await afterLoad())?.hover(uris.fromClient(textDocument.uri), position) ?? null);
  connection.onDocumentSymbol(({ textDocument }) => engine?.symbols(uris.fromClient(textDocument.uri)) ?? []);
  connection.onFoldingRanges(({ textDocument }) => engine?.folding(uris.fromClient(textDocument.uri)) ?? []);
  connection.onCodeAction(({ textDocument, range, context }) =>
    uris.codeActions(engine?.codeActions(uris.fromClient(textDocument.uri), range, context.diagnostics) ?? []));

  connection.listen();
}
