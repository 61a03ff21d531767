/**
 * The headless core of the language server, used by the LSP wiring (lsp/) and the lint CLI alike:
 * the facade every host calls.
 *
 *   text ─▶ DocumentStore (documents/: one parse per `---` section, unchanged sections reused)
 *             ├─▶ ObjectIndex (workspace/: apiVersion/kind/name/namespace of every section)
 *             └─▶ SchemaStore (schema/: live > workspace CRDs > crdPaths > disk cache > built-in),
 *                   fed by CrdSources (crdSources.ts)
 *   features/ are plain functions over (file, section, index, schemas, settings) returning LSP types,
 *   listed in one table (features/table.ts). An engine has the Flux features too, over its FluxModel
 *   (`engine.flux`, kept current by flux.ts), unless created with `flux: false`.
 *
 * Validation is incremental (diagnosticsCache.ts): each rule's result is cached with the dependency
 * keys it read, and a store/index/schema change drops only the results whose keys changed. All I/O
 * goes through the injected FileSystem; hosts mark their initial load with `trackLoading`.
 *
 * Work per file is bounded: editor changes are parsed when something next reads the file (a burst
 * of changes is parsed once), only the first `maxDocumentsPerFile` documents are parsed and checked
 * (a diagnostic says where checking stops), and nesting deeper than MAX_NESTING is not built into
 * a tree (documents/section.ts).
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Position, Range } from 'vscode-languageserver';
import * as path from 'node:path';
import { DocumentStore, type FileChange } from '../documents/store';
import { SchemaStore } from '../schema/store';
import { ObjectIndex } from '../workspace/objectIndex';
import { isYamlPath, readWorkspaceFile, readYamlFiles, type ScannedFile, type SkippedFile } from '../workspace/scan';
import { pathToUri, uriToPath } from '../workspace/uri';
import type { FileSystem } from '../workspace/fileSystem';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../settings';
import type { CodeActionContextParams, PositionContext, Rule } from '../features/context';
import { SETTINGS_KEY, SUBSTITUTION_KEY, fileKey, type RuleEnvironment } from './ruleContext';
import type { FeatureTable } from '../features/providers';
import { RULES } from '../features/validation/rules';
import { featureTable } from '../features/table';
import { documentSymbols } from '../features/symbols';
import { foldingRanges } from '../features/folding';
import { fixesOf } from '../features/quickFix';
import { FluxModel } from '../flux/model';
import { CrdSources } from './crdSources';
import { DiagnosticsCache } from './diagnosticsCache';
import { trackFluxModel } from './flux';

export interface EngineOptions {
  readonly fs: FileSystem;
  readonly settings?: Settings;
  /** Where the disk cache of live clusters' CRDs lives (the extension's global storage). */
  readonly globalStoragePath?: string;
  /** The core rules instead of validation/rules.ts (tests). */
  readonly rules?: readonly Rule[];
  /** false: a bare engine, without the Flux features and model (tests of the core). */
  readonly flux?: boolean;
  readonly log?: (message: string) => void;
}

export type StaleListener = (uris: readonly string[]) => void;
export type SkippedFileListener = (file: SkippedFile) => void;

export class Engine {
  readonly documents = new DocumentStore();
  readonly schemas = new SchemaStore();
  readonly index = new ObjectIndex();
  /** The Flux view of the workspace its Flux features read (undefined in a bare engine). */
  readonly flux: FluxModel | undefined;
  private settingsValue: Settings;
  private readonly features: FeatureTable;
  private readonly diagnosticsCache: DiagnosticsCache;
  private readonly staleListeners: StaleListener[] = [];
  private readonly skippedFileListeners: SkippedFileListener[] = [];
  private readonly workspaceFolders: string[] = [];
  private substitutionPolicy: ((uri: string) => boolean) | undefined;
  private readonly crds: CrdSources;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly options: EngineOptions) {
    this.settingsValue = options.settings ?? DEFAULT_SETTINGS;
    this.flux = options.flux === false ? undefined : new FluxModel(this.documents, this.index);
    this.features = featureTable(options.rules ?? RULES, this.flux);
    this.diagnosticsCache = new DiagnosticsCache(this.features.rules, options.log);
    this.documents.onDidChange((change) => this.onFileChange(change));
    this.index.onDidChange((keys) => this.invalidate(keys));
    this.schemas.onDidChange((keys) => this.invalidate(keys));
    this.documents.setMaxSections(this.settingsValue.validation.maxDocumentsPerFile);
    this.crds = new CrdSources({
      fs: options.fs,
      schemas: this.schemas,
      settings: () => this.settingsValue,
      baseFolder: () => this.workspaceFolders[0],
      skipped: (file) => this.reportSkipped(file),
      globalStoragePath: options.globalStoragePath,
      log: options.log,
    });
    const flux = this.flux;
    if (flux) {
      trackFluxModel(flux, this.documents, (keys) => this.invalidate(keys));
      this.substitutionPolicy = (uri) => flux.mayBeSubstituted(uri);
    }
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  /**
   * Tells the engine which files Flux post-build substitution may rewrite (`${...}` values there
   * get no type or pattern errors). Without a policy every file is treated as substitutable. The
   * Flux model is the policy of an engine with Flux features; this replaces it.
   */
  setSubstitutionPolicy(policy: ((uri: string) => boolean) | undefined): void {
    this.substitutionPolicy = policy;
    this.invalidate([SUBSTITUTION_KEY]);
  }

  /** Called with open document URIs whose diagnostics may have changed because something they read did. */
  onDiagnosticsStale(listener: StaleListener): void {
    this.staleListeners.push(listener);
  }

  // ---- documents and workspace ------------------------------------------------------------

  openDocument(uri: string, text: string, version: number): void {
    this.documents.openDocument(uri, text, version);
  }

  /** Applies an editor change; the file is parsed again when something next reads it. */
  changeDocument(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    this.documents.changeDocument(uri, changes, version);
  }

  /** The editor closed the document: the disk content becomes the truth again. */
  async closeDocument(uri: string): Promise<void> {
    this.documents.closeDocument(uri);
    this.diagnosticsCache.forget(uri);
    const file = uriToPath(uri);
    if (!file) {
      this.documents.delete(uri);
      return;
    }
    const text = await this.options.fs.readFile(file).catch(() => undefined);
    if (text === undefined) this.documents.delete(uri);
    else this.documents.setFromDisk(uri, text);
  }

  /**
   * Marks work that loads the workspace (the initial scan, CRD paths): position features answered
   * before it ends would see a partial index, so hosts may wait for `whenLoaded()` first.
   */
  trackLoading(work: Promise<unknown>): void {
    this.loading = Promise.all([this.loading, work.catch(() => undefined)]).then(() => undefined);
  }

  /** Resolves when every piece of loading tracked so far has ended (successfully or not). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  /** Called for every file a scan or a reload leaves out (a link out of the folder, a FIFO, over a limit, unreadable). */
  onFileSkipped(listener: SkippedFileListener): void {
    this.skippedFileListeners.push(listener);
  }

  /** Scans a folder for YAML files and loads them (open documents keep their editor text). */
  async addWorkspaceFolder(folder: string): Promise<void> {
    if (!this.workspaceFolders.includes(folder)) this.workspaceFolders.push(folder);
    for await (const scanned of readYamlFiles(this.options.fs, folder, this.settingsValue.scan)) this.storeFromDisk(scanned);
    // Relative crdPaths resolve against the first folder: they may point elsewhere now.
    await this.crds.reloadPaths();
  }

  /** Forgets a folder's files (open documents stay until closed). */
  removeWorkspaceFolder(folder: string): void {
    const i = this.workspaceFolders.indexOf(folder);
    if (i >= 0) this.workspaceFolders.splice(i, 1);
    for (const uri of this.documents.uris()) {
      const file = uriToPath(uri);
      if (file && file.startsWith(folder + path.sep) && !this.documents.isOpen(uri)) {
        this.documents.delete(uri);
        this.diagnosticsCache.forget(uri);
      }
    }
  }

  /** Reads one file from disk into the store, with the scan's checks (inside its workspace folder, regular, within the limits). */
  async loadFile(file: string): Promise<void> {
    const folder = this.workspaceFolders.find((f) => file.startsWith(f + path.sep));
    this.storeFromDisk(await readWorkspaceFile(this.options.fs, file, folder, this.settingsValue.scan));
  }

  /** A file read from disk goes into the store; one skipped leaves it (no stale text) and is reported. */
  private storeFromDisk(scanned: ScannedFile): void {
    const uri = pathToUri(scanned.path);
    if ('text' in scanned) {
      this.documents.setFromDisk(uri, scanned.text);
      return;
    }
    this.documents.delete(uri);
    this.reportSkipped(scanned);
  }

  private reportSkipped(file: SkippedFile): void {
    for (const listener of this.skippedFileListeners) listener(file);
  }

  /** A watched-file event from the client. */
  async fileChanged(uri: string, change: 'created' | 'changed' | 'deleted'): Promise<void> {
    const file = uriToPath(uri);
    if (!file || !isYamlPath(file)) return;
    if (change === 'deleted') {
      this.documents.delete(uri);
      if (!this.documents.get(uri)) this.diagnosticsCache.forget(uri);
    } else await this.loadFile(file);
    if (this.crds.pathsCover(file)) await this.crds.reloadPaths(true);
  }

  async updateSettings(section: unknown): Promise<void> {
    const next = parseSettings(section, this.settingsValue);
    const pathsChanged = JSON.stringify(next.crdPaths) !== JSON.stringify(this.settingsValue.crdPaths);
    const limitsChanged = JSON.stringify(next.scan) !== JSON.stringify(this.settingsValue.scan);
    this.settingsValue = next;
    this.invalidate([SETTINGS_KEY]);
    this.documents.setMaxSections(next.validation.maxDocumentsPerFile);
    // New scan limits: files left out may be read now, and files read may be left out.
    if (limitsChanged) for (const folder of [...this.workspaceFolders]) await this.addWorkspaceFolder(folder);
    if (pathsChanged || limitsChanged) await this.crds.reloadPaths(limitsChanged);
  }

  /** CRD files or folders given on the command line (`--crds`), in addition to the setting. */
  addCrdPaths(paths: readonly string[]): Promise<void> {
    return this.crds.addPaths(paths);
  }

  /**
   * The CRDs the cluster of kubeconfig context `context` serves (LiveCrdsNotification): the most
   * preferred schema source, and that cluster's entry in the disk cache. Resolves when the cache is written.
   */
  setLiveCrds(context: string, crds: readonly unknown[]): Promise<void> {
    return this.crds.setLive(context, crds);
  }

  /**
   * The kubeconfig context now shown (CurrentClusterNotification; undefined: none): until its live
   * CRDs arrive, the ones cached from it are a schema source. Live CRDs of another context are dropped.
   */
  setCurrentCluster(context: string | undefined): void {
    this.crds.setCurrentCluster(context);
  }

  /** Reads the disk cache of live clusters' CRDs (used for the current cluster until it answers). */
  loadCrdCache(): Promise<void> {
    return this.crds.loadCache();
  }

  // ---- features -----------------------------------------------------------------------------

  /** Every diagnostic of a file: YAML syntax plus rules, from cache where nothing they read changed. */
  diagnostics(uri: string): Diagnostic[] {
    const file = this.documents.get(uri);
    return file ? this.diagnosticsCache.diagnostics(uri, file, this.environment()) : [];
  }

  completion(uri: string, position: Position): CompletionItem[] {
    const ctx = this.positionContext(uri, position);
    return ctx ? this.features.completionProviders.flatMap((p) => p(ctx)) : [];
  }

  hover(uri: string, position: Position): Hover | undefined {
    const ctx = this.positionContext(uri, position);
    if (!ctx) return undefined;
    for (const provider of this.features.hoverProviders) {
      const hover = provider(ctx);
      if (hover) return hover;
    }
    return undefined;
  }

  symbols(uri: string): DocumentSymbol[] {
    const file = this.documents.get(uri);
    return file ? documentSymbols(file) : [];
  }

  folding(uri: string): FoldingRange[] {
    const file = this.documents.get(uri);
    return file ? foldingRanges(file) : [];
  }

  codeActions(uri: string, range: Range, diagnostics: readonly Diagnostic[]): CodeAction[] {
    const file = this.documents.get(uri);
    if (!file) return [];
    // Clients may strip `data`; fall back to the engine's own diagnostics overlapping the range.
    const withData = diagnostics.some((d) => fixesOf(d).length)
      ? diagnostics
      : this.diagnostics(uri).filter((d) => overlaps(d.range, range) && diagnostics.some((c) => c.code === d.code));
    const ctx: CodeActionContextParams = { uri, file, range, diagnostics: withData, index: this.index, schemas: this.schemas };
    return this.features.codeActionProviders.flatMap((p) => p(ctx));
  }

  /** The context position features get; undefined when the file is unknown. */
  positionContext(uri: string, position: Position): PositionContext | undefined {
    const file = this.documents.get(uri);
    if (!file) return undefined;
    const absolute = file.offsetAt(position);
    const section = file.sectionAt(absolute);
    if (!section) return undefined;
    return {
      uri,
      file,
      section,
      offset: absolute - section.start,
      position,
      object: this.index.atSection(uri, section.index),
      index: this.index,
      schemas: this.schemas,
      settings: this.settingsValue,
    };
  }

  // ---- internals ----------------------------------------------------------------------------

  /** Drops cached diagnostics that read any of `keys`; tells listeners which open files are affected. */
  private invalidate(keys: Iterable<string>): void {
    const stale = this.diagnosticsCache.invalidate(keys).filter((uri) => this.documents.isOpen(uri));
    if (stale.length) for (const listener of this.staleListeners) listener(stale);
  }

  private onFileChange(change: FileChange): void {
    this.index.apply(change);
    this.invalidate([fileKey(change.uri)]);
    this.diagnosticsCache.fileChanged(change.uri);
    if (!change.file) this.diagnosticsCache.forget(change.uri);
    this.crds.fileChanged(change);
  }

  private environment(): RuleEnvironment {
    return { documents: this.documents, index: this.index, schemas: this.schemas, settings: this.settingsValue, substituted: this.substitutionPolicy };
  }
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
