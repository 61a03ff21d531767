/**
 * Where the engine's CRDs come from, each fed to its SchemaStore source: CRD sections of workspace
 * files, the CRD paths (the `crdPaths` setting, relative to the first workspace folder, and `--crds`),
 * the live cluster's CRDs the client pushes, and the disk cache of live clusters' CRDs (per
 * kubeconfig context: schema/liveCrdCache.ts), used for the current cluster until it answers.
 */
import * as path from 'node:path';
import type { Document } from 'yaml';
import type { FileChange } from '../documents/store';
import { sectionValue } from '../documents/section';
import { YamlFile } from '../documents/yamlFile';
import type { SchemaStore } from '../schema/store';
import { LiveCrdCache } from '../schema/liveCrdCache';
import { isCrdObject } from '../schema/crd';
import { readYamlFiles, type SkippedFile } from '../workspace/scan';
import type { FileSystem } from '../workspace/fileSystem';
import type { Settings } from '../settings';

export interface CrdSourcesOptions {
  readonly fs: FileSystem;
  readonly schemas: SchemaStore;
  /** The engine's current settings (crdPaths, scan limits). */
  readonly settings: () => Settings;
  /** The folder relative crdPaths resolve against (the first workspace folder). */
  readonly baseFolder: () => string | undefined;
  /** A file under the CRD paths that the scan left out. */
  readonly skipped: (file: SkippedFile) => void;
  /** Where the disk cache of live clusters' CRDs lives (the extension's global storage). */
  readonly globalStoragePath?: string;
  readonly log?: (message: string) => void;
}

export class CrdSources {
  /** Per workspace file, its CRDs by section id (plain values are kept per section). */
  private readonly crdSections = new Map<string, Map<number, unknown>>();
  private extraCrdPaths: string[] = [];
  /** The CRD path list last read, to skip reading the same files again. */
  private loadedCrdPaths = '';
  private readonly liveCrdCache: LiveCrdCache | undefined;
  /** The kubeconfig context the client reported as current, and the one the live CRDs come from. */
  private currentCluster: string | undefined;
  private liveCluster: string | undefined;

  constructor(private readonly options: CrdSourcesOptions) {
    if (options.globalStoragePath) {
      this.liveCrdCache = new LiveCrdCache(options.fs, path.join(options.globalStoragePath, 'crd-cache.json'), (m) => options.log?.(m));
    }
  }

  // ---- workspace files ----------------------------------------------------------------------

  /** Re-reads CRDs of a file only when one of its CRD sections changed (toJS is kept per section). */
  fileChanged(change: FileChange): void {
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
    this.options.schemas.setWorkspaceFile(change.uri, [...known.values()]);
  }

  // ---- CRD paths ----------------------------------------------------------------------------

  /** CRD files or folders given on the command line (`--crds`), in addition to the setting. */
  async addPaths(paths: readonly string[]): Promise<void> {
    this.extraCrdPaths.push(...paths);
    await this.reloadPaths();
  }

  /** Whether the file is one of the CRD paths or under one. */
  pathsCover(file: string): boolean {
    return this.pathList().some((p) => file === p || file.startsWith(p + path.sep));
  }

  /** Reads the CRD paths again when the list changed, or always when `force` (a file under them changed). */
  async reloadPaths(force = false): Promise<void> {
    const roots = this.pathList();
    const key = roots.join('\n');
    if (!force && key === this.loadedCrdPaths) return;
    this.loadedCrdPaths = key;
    const crds: unknown[] = [];
    for (const root of roots) {
      for await (const scanned of readYamlFiles(this.options.fs, root, this.options.settings().scan)) {
        if ('text' in scanned) crds.push(...crdsInText(scanned.text));
        else this.options.skipped(scanned);
      }
    }
    this.options.schemas.setPaths(crds);
  }

  private pathList(): string[] {
    const base = this.options.baseFolder() ?? process.cwd();
    return [...this.options.settings().crdPaths.map((p) => path.resolve(base, p)), ...this.extraCrdPaths.map((p) => path.resolve(p))];
  }

  // ---- live clusters and their disk cache ---------------------------------------------------

  /**
   * The CRDs the cluster of kubeconfig context `context` serves (LiveCrdsNotification): the most
   * preferred schema source, and that cluster's entry in the disk cache. Resolves when the cache is written.
   */
  setLive(context: string, crds: readonly unknown[]): Promise<void> {
    this.currentCluster = this.liveCluster = context;
    this.options.schemas.setLive(crds);
    // The cluster's own CRDs are newer than its cached copy, which could still hold kinds it no longer serves.
    this.options.schemas.setCache([]);
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
      this.options.schemas.setLive([]);
    }
    this.applyCachedCrds();
  }

  /** Reads the disk cache of live clusters' CRDs (used for the current cluster until it answers). */
  async loadCache(): Promise<void> {
    await this.liveCrdCache?.load();
    this.applyCachedCrds();
  }

  /** The cache source holds the current cluster's cached CRDs, unless that cluster's live CRDs are here. */
  private applyCachedCrds(): void {
    const cluster = this.currentCluster;
    const cached = cluster !== undefined && cluster !== this.liveCluster ? this.liveCrdCache?.crds(cluster) : undefined;
    this.options.schemas.setCache(cached ?? []);
  }
}

/** Cheap test before converting a section to plain values. */
function looksLikeCrd(doc: Document.Parsed): boolean {
  const root = doc.contents as { items?: { key?: { value?: unknown }; value?: { value?: unknown } }[] } | null;
  return !!root?.items?.some((p) => p.key?.value === 'kind' && p.value?.value === 'CustomResourceDefinition');
}

/** CRD objects in a multi-document YAML text. */
function crdsInText(text: string): unknown[] {
  const file = YamlFile.parse('crds:', text);
  return file.sections.filter((s) => looksLikeCrd(s.doc)).map(sectionValue).filter(isCrdObject);
}
