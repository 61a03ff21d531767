/**
 * The headless core of the language server, used by server.ts (LSP wiring) and the lint CLI alike.
 *
 *   text ─▶ DocumentStore (documents/: one parse per `---` section, unchanged sections reused)
 *             ├─▶ ObjectIndex (workspace/: apiVersion/kind/name/namespace of every section)
 *             └─▶ SchemaStore (schema/: live > workspace CRDs > crdPaths > disk cache > built-in)
 *                   (the disk cache holds live clusters' CRDs only, per context: see schema/liveCrdCache.ts)
 *   features/ are plain functions over (file, section, index, schemas, settings) returning LSP types.
 *
 * Validation is incremental: each rule's result is cached per parsed section (by parse id) together
 * with the dependency keys that rule read (`kind:K`, `obj:K/ns/name`, `schema:group/K`, `file:uri`,
 * `substitution`, `settings`, `schema:*`, `index:*`, or any key a rule declares with `depend`); a
 * store/index/schema change drops only the results whose keys changed. Cached diagnostics of a
 * section that moved are shifted by whole lines (sections always start at column 0). All I/O goes
 * through the injected FileSystem; hosts mark their initial load with `trackLoading`.
 *
 * Work per file is bounded: editor changes are parsed when something next reads the file (a burst
 * of changes is parsed once), only the first `maxDocumentsPerFile` documents are parsed and checked
 * (a diagnostic says where checking stops), and nesting deeper than MAX_NESTING is not built into
 * a tree (documents/section.ts).
 */
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { CodeAction, CompletionItem, Diagnostic, DocumentSymbol, FoldingRange, Hover, Position, Range } from 'vscode-languageserver';
import * as path from 'node:path';
import type { Document } from 'yaml';
import { DocumentStore, type FileChange } from './documents/store';
import { sectionValue } from './documents/section';
import { YamlFile } from './documents/yamlFile';
import { SchemaStore } from './schema/store';
import { LiveCrdCache } from './schema/liveCrdCache';
import { isCrdObject } from './schema/crd';
import { ObjectIndex } from './workspace/objectIndex';
import { isYamlPath, readWorkspaceFile, readYamlFiles, type ScannedFile, type SkippedFile } from './workspace/scan';
import { pathToUri, uriToPath } from './workspace/uri';
import type { FileSystem } from './workspace/fileSystem';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings';
import type { CodeActionContextParams, PositionContext, Rule } from './features/context';
import { ANY_INDEX, ANY_SCHEMA, SETTINGS_KEY, SUBSTITUTION_KEY, TrackedFileContext, TrackedSectionContext, fileKey, type RuleEnvironment } from './features/ruleContext';
import type { CodeActionProvider, CompletionProvider, HoverProvider } from './features/providers';
import { RULES } from './features/validation/rules';
import { CODE_ACTION_PROVIDERS, COMPLETION_PROVIDERS, HOVER_PROVIDERS } from './features/table';
import { documentSymbols } from './features/symbols';
import { foldingRanges } from './features/folding';
import { fixesOf } from './features/quickFix';
import { documentLimitDiagnostic } from './features/validation/documentLimit';

export interface EngineOptions {
  readonly fs: FileSystem;
  readonly settings?: Settings;
  /** Where the disk cache of live clusters' CRDs lives (the extension's global storage). */
  readonly globalStoragePath?: string;
  /** Overrides of the feature tables (tests); the defaults are the tables in features/. */
  readonly rules?: readonly Rule[];
  readonly completionProviders?: readonly CompletionProvider[];
  readonly hoverProviders?: readonly HoverProvider[];
  readonly codeActionProviders?: readonly CodeActionProvider[];
  readonly log?: (message: string) => void;
}

/** Dependency keys of the engine itself (rules add index and schema keys by reading). */
export { SUBSTITUTION_KEY, SETTINGS_KEY, fileKey };

/** One rule's result on one section (or file), with what it read. */
interface RuleResult {
  readonly startLine: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: ReadonlySet<string>;
}

/** Per section id, per section rule (by position in the rule list); per file rule likewise. */
interface FileCache {
  readonly sections: Map<number, (RuleResult | undefined)[]>;
  file: (RuleResult | undefined)[];
}

export type StaleListener = (uris: readonly string[]) => void;
export type SkippedFileListener = (file: SkippedFile) => void;

export class Engine {
  readonly documents = new DocumentStore();
  readonly schemas = new SchemaStore();
  readonly index = new ObjectIndex();
  private settingsValue: Settings;
  private readonly rules: Rule[];
  private readonly completionProviders: CompletionProvider[];
  private readonly hoverProviders: HoverProvider[];
  private readonly codeActionProviders: CodeActionProvider[];
  private readonly cache = new Map<string, FileCache>();
  private readonly crdSections = new Map<string, Map<number, unknown>>();
  private readonly staleListeners: StaleListener[] = [];
  private readonly skippedFileListeners: SkippedFileListener[] = [];
  private readonly workspaceFolders: string[] = [];
  private extraCrdPaths: string[] = [];
  /** The CRD path list last read, to skip reading the same files again. */
  private loadedCrdPaths = '';
  private substitutionPolicy: ((uri: string) => boolean) | undefined;
  private readonly liveCrdCache: LiveCrdCache | undefined;
  /** The kubeconfig context the client reported as current, and the one the live CRDs come from. */
  private currentCluster: string | undefined;
  private liveCluster: string | undefined;
  private loading: Promise<void> = Promise.resolve();

  constructor(private readonly options: EngineOptions) {
    this.settingsValue = options.settings ?? DEFAULT_SETTINGS;
    this.rules = [...(options.rules ?? RULES)];
    this.completionProviders = [...(options.completionProviders ?? COMPLETION_PROVIDERS)];
    this.hoverProviders = [...(options.hoverProviders ?? HOVER_PROVIDERS)];
    this.codeActionProviders = [...(options.codeActionProviders ?? CODE_ACTION_PROVIDERS)];
    this.documents.onDidChange((change) => this.onFileChange(change));
    this.index.onDidChange((keys) => this.invalidate(keys));
    this.schemas.onDidChange((keys) => this.invalidate(keys));
    this.documents.setMaxSections(this.settingsValue.validation.maxDocumentsPerFile);
    if (options.globalStoragePath) {
      this.liveCrdCache = new LiveCrdCache(options.fs, path.join(options.globalStoragePath, 'crd-cache.json'), (m) => options.log?.(m));
    }
  }

  get settings(): Settings {
    return this.settingsValue;
  }

  // ---- extension points -------------------------------------------------------------------

  addRule(rule: Rule): void {
    this.rules.push(rule);
    this.cache.clear();
  }
  addCompletionProvider(provider: CompletionProvider): void {
    this.completionProviders.push(provider);
  }
  /** Hover providers added later are asked before the built-in schema hover. */
  addHoverProvider(provider: HoverProvider): void {
    this.hoverProviders.unshift(provider);
  }
  addCodeActionProvider(provider: CodeActionProvider): void {
    this.codeActionProviders.push(provider);
  }

  /**
   * Tells the engine which files Flux post-build substitution may rewrite (`${...}` values there
   * get no type or pattern errors). Without a policy every file is treated as substitutable.
   * Call `invalidate([SUBSTITUTION_KEY])` when the answer changes.
   */
  setSubstitutionPolicy(policy: ((uri: string) => boolean) | undefined): void {
    this.substitutionPolicy = policy;
    this.invalidate([SUBSTITUTION_KEY]);
  }

  /** Called with open document URIs whose diagnostics may have changed because something they read did. */
  onDiagnosticsStale(listener: StaleListener): void {
    this.staleListeners.push(listener);
  }

  /** Drops cached diagnostics that read any of `keys`; tells listeners which open files are affected. */
  invalidate(keys: Iterable<string>): void {
    const changed = new Set(keys);
    if (changed.size === 0) return;
    const anySchema = [...changed].some((k) => k.startsWith('schema:'));
    const anyIndex = [...changed].some((k) => k.startsWith('kind:') || k.startsWith('obj:'));
    const hit = (deps: ReadonlySet<string>): boolean => {
      if ((anySchema && deps.has(ANY_SCHEMA)) || (anyIndex && deps.has(ANY_INDEX))) return true;
      for (const key of deps) if (changed.has(key)) return true;
      return false;
    };
    const stale: string[] = [];
    const drop = (results: (RuleResult | undefined)[]): boolean => {
      let dropped = false;
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        if (r && hit(r.deps)) {
          results[i] = undefined;
          dropped = true;
        }
      }
      return dropped;
    };
    for (const [uri, entry] of this.cache) {
      let dropped = drop(entry.file);
      for (const results of entry.sections.values()) if (drop(results)) dropped = true;
      if (dropped && this.documents.isOpen(uri)) stale.push(uri);
    }
    if (stale.length) for (const listener of this.staleListeners) listener(stale);
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
    // Nobody shows its diagnostics now: keeping them would only cost memory and invalidation work.
    this.cache.delete(uri);
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
    await this.reloadCrdPaths();
  }

  /** Forgets a folder's files (open documents stay until closed). */
  removeWorkspaceFolder(folder: string): void {
    const i = this.workspaceFolders.indexOf(folder);
    if (i >= 0) this.workspaceFolders.splice(i, 1);
    for (const uri of this.documents.uris()) {
      const file = uriToPath(uri);
      if (file && file.startsWith(folder + path.sep) && !this.documents.isOpen(uri)) {
        this.documents.delete(uri);
        this.cache.delete(uri);
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
      if (!this.documents.get(uri)) this.cache.delete(uri);
    } else await this.loadFile(file);
    if (this.crdPathsCover(file)) await this.reloadCrdPaths(true);
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
    if (pathsChanged || limitsChanged) await this.reloadCrdPaths(limitsChanged);
  }

  /** CRD files or folders given on the command line (`--crds`), in addition to the setting. */
  async addCrdPaths(paths: readonly string[]): Promise<void> {
    this.extraCrdPaths.push(...paths);
    await this.reloadCrdPaths();
  }

  /**
   * The CRDs the cluster of kubeconfig context `context` serves (LiveCrdsNotification): the most
   * preferred schema source, and that cluster's entry in the disk cache. Resolves when the cache is written.
   */
  setLiveCrds(context: string, crds: readonly unknown[]): Promise<void> {
    this.currentCluster = this.liveCluster = context;
    this.schemas.setLive(crds);
    // The cluster's own CRDs are newer than its cached copy, which could still hold kinds it no longer serves.
    this.schemas.setCache([]);
    return this.liveCrdCache?.record(context, crds) ?? Promise.resolve();
  }

  /**
   * The kubeconfig context now shown (CurrentClusterNotification; undefined: none): until its live
   * CRDs arrive, the ones cached from it are a schema source. Live CRDs of another context are dropped.
   */
  setCurrentCluster(context: string | undefined): void {
    this.currentCluster = context;
    if (this.liveCluster !== undefined && this.liveCluster !== context) {
      this.liveCluster = undefined;
      this.schemas.setLive([]);
    }
    this.applyCachedCrds();
  }

  /** Reads the disk cache of live clusters' CRDs (used for the current cluster until it answers). */
  async loadCrdCache(): Promise<void> {
    await this.liveCrdCache?.load();
    this.applyCachedCrds();
  }

  // ---- features -----------------------------------------------------------------------------

  /** Every diagnostic of a file: YAML syntax plus rules, from cache where nothing they read changed. */
  diagnostics(uri: string): Diagnostic[] {
    const file = this.documents.get(uri);
    if (!file) return [];
    let entry = this.cache.get(uri);
    if (!entry) this.cache.set(uri, (entry = { sections: new Map(), file: [] }));
    const sectionRules = this.rules.filter((r) => r.scope === 'section');
    const fileRules = this.rules.filter((r) => r.scope === 'file');
    const result: Diagnostic[] = [];
    const live = new Set<number>();
    const env = this.environment();
    for (const section of file.sections) {
      live.add(section.id);
      const startLine = file.positionAt(section.start).line;
      let results = entry.sections.get(section.id);
      if (!results) entry.sections.set(section.id, (results = []));
      let ctx: TrackedSectionContext | undefined;
      const found: Diagnostic[] = [];
      for (const [i, rule] of sectionRules.entries()) {
        let cached = results[i];
        if (!cached) {
          ctx ??= new TrackedSectionContext(env, file, section);
          cached = results[i] = this.runRule(rule, ctx, startLine);
        }
        if (cached.diagnostics.length) found.push(...shift(cached.diagnostics, startLine - cached.startLine, uri));
      }
      if (found.length > 1) found.sort(byPosition);
      result.push(...found);
    }
    for (const id of entry.sections.keys()) if (!live.has(id)) entry.sections.delete(id);
    let fileCtx: TrackedFileContext | undefined;
    for (const [i, rule] of fileRules.entries()) {
      let cached = entry.file[i];
      if (!cached) {
        fileCtx ??= new TrackedFileContext(env, file);
        cached = entry.file[i] = this.runRule(rule, fileCtx, 0);
      }
      result.push(...cached.diagnostics);
    }
    // Said even when the problems before it fill maxProblems.
    const limit = documentLimitDiagnostic(file);
    if (!limit) return result.slice(0, this.settingsValue.maxProblems);
    return [...result.slice(0, this.settingsValue.maxProblems - 1), limit];
  }

  completion(uri: string, position: Position): CompletionItem[] {
    const ctx = this.positionContext(uri, position);
    return ctx ? this.completionProviders.flatMap((p) => p(ctx)) : [];
  }

  hover(uri: string, position: Position): Hover | undefined {
    const ctx = this.positionContext(uri, position);
    if (!ctx) return undefined;
    for (const provider of this.hoverProviders) {
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
    return this.codeActionProviders.flatMap((p) => p(ctx));
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

  private onFileChange(change: FileChange): void {
    this.index.apply(change);
    this.invalidate([fileKey(change.uri)]);
    const entry = this.cache.get(change.uri);
    if (entry) entry.file = [];
    if (!change.file) this.cache.delete(change.uri);
    this.updateWorkspaceCrds(change);
  }

  /** Re-reads CRDs of a file only when one of its CRD sections changed (toJS is kept per section). */
  private updateWorkspaceCrds(change: FileChange): void {
    const known = this.crdSections.get(change.uri) ?? new Map<number, unknown>();
    const removed = change.removedSectionIds.filter((id) => known.has(id));
    for (const id of removed) known.delete(id);
    let added = false;
    for (const i of change.changedSections) {
      const section = change.file?.sections[i];
      if (!section || !looksLikeCrd(section.doc)) continue;
      const value = sectionValue(section);
      if (isCrdObject(value)) {
        known.set(section.id, value);
        added = true;
      }
    }
    if (!added && removed.length === 0) return;
    if (known.size) this.crdSections.set(change.uri, known);
    else this.crdSections.delete(change.uri);
    this.schemas.setWorkspaceFile(change.uri, [...known.values()]);
  }

  private environment(): RuleEnvironment {
    return { documents: this.documents, index: this.index, schemas: this.schemas, settings: this.settingsValue, substituted: this.substitutionPolicy };
  }

  /** Runs one rule with a fresh dependency set. A failing rule is logged and yields nothing. */
  private runRule(rule: Rule, ctx: TrackedSectionContext | TrackedFileContext, startLine: number): RuleResult {
    const deps = new Set<string>([SETTINGS_KEY]);
    ctx.deps = deps;
    let diagnostics: Diagnostic[] = [];
    try {
      // The scope decides which context the rule gets; a section context serves file rules too.
      diagnostics = (rule.run as (c: TrackedSectionContext | TrackedFileContext) => Diagnostic[])(ctx);
    } catch (error) {
      this.options.log?.(`rule ${rule.id} failed on ${ctx.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return { startLine, diagnostics, deps };
  }

  private crdPathList(): string[] {
    const base = this.workspaceFolders[0] ?? process.cwd();
    return [...this.settingsValue.crdPaths.map((p) => path.resolve(base, p)), ...this.extraCrdPaths.map((p) => path.resolve(p))];
  }

  private crdPathsCover(file: string): boolean {
    return this.crdPathList().some((p) => file === p || file.startsWith(p + path.sep));
  }

  /** Reads the CRD paths again when the list changed, or always when `force` (a file under them changed). */
  private async reloadCrdPaths(force = false): Promise<void> {
    const roots = this.crdPathList();
    const key = roots.join('\n');
    if (!force && key === this.loadedCrdPaths) return;
    this.loadedCrdPaths = key;
    const crds: unknown[] = [];
    for (const root of roots) {
      for await (const scanned of readYamlFiles(this.options.fs, root, this.settingsValue.scan)) {
        if ('text' in scanned) crds.push(...crdsInText(scanned.text));
        else this.reportSkipped(scanned);
      }
    }
    this.schemas.setPaths(crds);
  }

  /** The cache source holds the current cluster's cached CRDs, unless that cluster's live CRDs are here. */
  private applyCachedCrds(): void {
    const cluster = this.currentCluster;
    const cached = cluster !== undefined && cluster !== this.liveCluster ? this.liveCrdCache?.crds(cluster) : undefined;
    this.schemas.setCache(cached ?? []);
  }
}

/** Cheap test before converting a section to plain values. */
function looksLikeCrd(doc: Document.Parsed): boolean {
  const root = doc.contents as { items?: { key?: { value?: unknown }; value?: { value?: unknown } }[] } | null;
  return !!root?.items?.some((p) => p.key?.value === 'kind' && p.value?.value === 'CustomResourceDefinition');
}

/** CRD objects in a multi-document YAML text. */
export function crdsInText(text: string): unknown[] {
  const file = YamlFile.parse('crds:', text);
  return file.sections.filter((s) => looksLikeCrd(s.doc)).map(sectionValue).filter(isCrdObject);
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: Position, q: Position): boolean => p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function shift(diagnostics: readonly Diagnostic[], lines: number, uri: string): readonly Diagnostic[] {
  if (lines === 0) return diagnostics;
  const move = (r: Range): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
  return diagnostics.map((d) => {
    const fixes = fixesOf(d);
    const moved: Diagnostic = { ...d, range: move(d.range) };
    if (d.relatedInformation) {
      moved.relatedInformation = d.relatedInformation.map((r) => (r.location.uri === uri ? { ...r, location: { uri, range: move(r.location.range) } } : r));
    }
    if (fixes.length) moved.data = { fixes: fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: move(e.range) })) })) };
    return moved;
  });
}
