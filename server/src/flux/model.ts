/**
 * The Flux view of the workspace, built on the engine's DocumentStore and ObjectIndex: which files
 * each Flux Kustomization applies (spec.path + kustomize tree, through ArtifactGenerator copies
 * for ExternalArtifact sources), effective namespaces, resolved references, dependsOn cycles,
 * which files are post-build substituted or decrypted, `.sops.yaml` files. Rebuilt after a
 * relevant change; rules read it under facet dependency keys (FLUX_FACETS), and a facet's key is
 * invalidated only when a digest of what it holds changed, so an edit that changes no cross-file
 * fact re-runs no rule of another section.
 */
import * as path from 'node:path';
import type { Node, Range as YamlRange } from 'yaml';
import type { Location } from 'vscode-languageserver';
import type { DocumentStore, FileChange } from '../documents/store';
import { rootString, nodeAtPath } from '../documents/nodes';
import { sectionValue, type Section } from '../documents/section';
import type { YamlFile } from '../documents/yamlFile';
import type { IndexedObject, ObjectIndex } from '../workspace/objectIndex';
import { pathToUri, uriToPath } from '../workspace/uri';
import { FLUX_KINDS } from '../schema/fluxKnowledge';
import { appliedFiles, normaliseSourcePath, treeOfFiles, type KustomizeResult, type KustomizeTree } from '../kustomize/appliedFiles';
import { isKustomizationFileName, patchPaths } from '../kustomize/files';
import { referenceSites, type ReferenceSite } from './referenceSites';
import { cycleEdges } from './cycles';
import { creationRuleCovers } from './sopsConfig';
import { findMarkers, mentionsMarkerExactly } from './markers';

/** Dependency keys of the model, one per kind of cross-file fact the rules read. */
export const FLUX_FACETS = {
  /** Resolved references and dependsOn cycles. */
  references: 'flux:references',
  /** Each Flux Kustomization's spec.path resolution and applied files. */
  kustomizations: 'flux:kustomizations',
  /** Which Kustomizations apply each file, with their decryption and postBuild, ConfigMap/Secret keys, .sops.yaml, patches. */
  applied: 'flux:applied',
  /** Which files post-build substitution may rewrite (the engine's substitution policy). */
  substituted: 'flux:substituted',
  /** ImagePolicies and ImageUpdateAutomations. */
  images: 'flux:images',
  /** The set of files. */
  tree: 'flux:tree',
} as const;
export type FluxFacet = keyof typeof FLUX_FACETS;
const FACETS = Object.keys(FLUX_FACETS) as FluxFacet[];
export const SOPS_CONFIG_NAME = '.sops.yaml';

/** Kinds outside Flux that Flux objects reference or that change what Flux does. */
const WATCHED_CORE_KINDS = new Set(['Secret', 'ConfigMap', 'CustomResourceDefinition']);

export interface FluxObject {
  readonly object: IndexedObject;
  readonly file: YamlFile;
  readonly section: Section;
  /** The object as plain values. */
  readonly value: Record<string, unknown>;
  /** metadata.namespace, or the namespace Flux/kustomize give it when it has none. */
  readonly namespace: string | undefined;
}

export interface KustomizationInfo {
  readonly flux: FluxObject;
  /** Where spec.path is in this repository, when the source is this repository. */
  readonly folder?: string;
  readonly pathStatus: 'found' | 'missing' | 'external';
  readonly applied?: KustomizeResult;
  readonly decryption: boolean;
  readonly postBuild: boolean;
  readonly targetNamespace?: string;
}

export interface ReferenceTarget {
  readonly flux: FluxObject;
  /** Set when the target is produced by another object (an ExternalArtifact of an ArtifactGenerator). */
  readonly producedBy?: string;
}

export interface ResolvedReference {
  readonly from: FluxObject;
  readonly site: ReferenceSite;
  /** The namespace searched (explicit, or the referrer's). */
  readonly namespace: string | undefined;
  readonly targets: readonly ReferenceTarget[];
  /** Set on dependsOn entries that lie on a cycle: the whole cycle, as names. */
  readonly cycle?: readonly string[];
}

export interface AutomationScope {
  readonly automation: FluxObject;
  readonly folder: string;
}

/** A live ImagePolicy status pushed by the client (see protocol.ts). */
export interface LivePolicy {
  readonly latestRef?: { readonly name?: string; readonly tag?: string; readonly digest?: string };
  readonly context: string;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The Flux kinds as `group/kind`: a fixed set, looked up without searching FLUX_KINDS. */
const FLUX_KIND_KEYS: ReadonlySet<string> = new Set(FLUX_KINDS.map((k) => `${k.group}/${k.kind}`));

/** Whether group/kind is a Flux kind. */
function isFluxKind(group: string, kind: string): boolean {
  return FLUX_KIND_KEYS.has(`${group}/${kind}`);
}

/** Entries of a model's path memo before it starts again from empty. */
const MAX_MEMOISED_PATHS = 100_000;

/** uriToPath, memoised per model (bounded): it asks for every object on every rebuild, and rules per section. */
class UriPaths {
  private readonly paths = new Map<string, string | undefined>();

  of(uri: string): string | undefined {
    if (!this.paths.has(uri)) {
      if (this.paths.size >= MAX_MEMOISED_PATHS) this.paths.clear();
      this.paths.set(uri, uriToPath(uri));
    }
    return this.paths.get(uri);
  }
}

/** A stable identity for an indexed object: its file and its section's parse id. */
export function objectId(o: Pick<IndexedObject, 'uri' | 'sectionId'>): string {
  return `${o.uri}#${o.sectionId}`;
}

export function objectKeyOf(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `${kind}/${namespace ?? ''}/${name ?? ''}`;
}

/** Whether the object is one the model tracks: a Flux kind in its Flux group, or a watched core kind. */
export function isTracked(o: Pick<IndexedObject, 'group' | 'kind'>): boolean {
  return isFluxKind(o.group, o.kind) || (o.group === '' && WATCHED_CORE_KINDS.has(o.kind)) || o.kind === 'CustomResourceDefinition' || o.group === KUSTOMIZE_CONFIG_GROUP;
}

/** kustomize's own kustomization files (they may generate ConfigMaps and Secrets). */
export const KUSTOMIZE_CONFIG_GROUP = 'kustomize.config.k8s.io';

/** Names of ConfigMaps or Secrets a kustomization file generates (configMapGenerator, secretGenerator). */
function generatedNames(value: Record<string, unknown>, kind: string): string[] {
  const list = value[kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator'];
  return Array.isArray(list) ? list.map((g) => record(g)?.name).filter((n): n is string => typeof n === 'string') : [];
}

/** What a rebuild reuses from the previous one: by objectId (same section parse, same result), and file paths. */
interface SectionCache {
  readonly values: Map<string, Record<string, unknown>>;
  readonly sites: Map<string, ReferenceSite[]>;
  readonly paths: UriPaths;
}

class Snapshot {
  readonly files: string[];
  readonly tree: KustomizeTree;
  readonly root: string;
  /** By objectId: the index re-creates its entries on every store update, section ids stay. */
  readonly objects = new Map<string, FluxObject>();
  readonly kustomizations: KustomizationInfo[] = [];
  readonly appliedBy = new Map<string, { info: KustomizationInfo; namespace?: string }[]>();
  /** Files whose text ends up in a Kustomization's build output with postBuild (resources and patches). */
  readonly substitutedBy = new Map<string, KustomizationInfo[]>();
  readonly references: ResolvedReference[] = [];
  readonly referencesFrom = new Map<string, ResolvedReference[]>();
  readonly referencesTo = new Map<string, ResolvedReference[]>();
  readonly kustomizationByObject = new Map<string, KustomizationInfo>();
  readonly automations: AutomationScope[] = [];
  /** Objects by kind and name (lookups), ArtifactGenerators and kustomize files (generated objects). */
  private readonly byKindName = new Map<string, FluxObject[]>();
  private readonly generators: FluxObject[] = [];
  private readonly kustomizeFiles: FluxObject[] = [];
  readonly sopsConfigs = new Map<string, unknown>();
  /** Files some kustomization file uses as a patch: partial objects, not applied as they are. */
  readonly patchFiles = new Set<string>();

  constructor(private readonly documents: DocumentStore, index: ObjectIndex, private readonly cache: SectionCache) {
    this.files = documents.uris().map(uriToPath).filter((p): p is string => p !== undefined);
    this.tree = treeOfFiles(this.files, (file) => this.firstValue(file));
    this.root = commonAncestor(this.files);
    for (const file of this.files) if (path.basename(file) === SOPS_CONFIG_NAME) this.sopsConfigs.set(path.dirname(file), this.firstValue(file));
    const tracked = index.all().filter(isTracked);
    const raw = tracked.map((o) => this.load(o, o.namespace)).filter((f): f is FluxObject => f !== undefined);
    const rawGenerators = raw.filter((f) => f.object.kind === 'ArtifactGenerator');
    for (const f of raw) if (f.object.kind === 'Kustomization' && f.object.group === 'kustomize.toolkit.fluxcd.io') this.kustomizations.push(this.kustomization(f, rawGenerators));
    for (const f of raw) {
      const file = f.object.group === KUSTOMIZE_CONFIG_GROUP ? this.cache.paths.of(f.object.uri) : undefined;
      if (file) for (const patch of patchPaths(f.value)) this.patchFiles.add(path.join(path.dirname(file), patch));
    }
    for (const info of this.kustomizations) {
      for (const applied of info.applied?.files ?? []) {
        pushTo(this.appliedBy, applied.file, { info, ...(applied.namespace !== undefined ? { namespace: applied.namespace } : {}) });
        if (info.postBuild) pushTo(this.substitutedBy, applied.file, info);
      }
      if (info.postBuild) for (const patch of info.applied?.patchFiles ?? []) pushTo(this.substitutedBy, patch, info);
    }
    for (const f of raw) {
      const effective = this.effectiveNamespace(f.object);
      const final = effective === f.namespace ? f : { ...f, namespace: effective };
      this.objects.set(objectId(f.object), final);
      const key = `${final.object.kind}\0${final.object.name ?? ''}`;
      const list = this.byKindName.get(key);
      if (list) list.push(final);
      else this.byKindName.set(key, [final]);
      if (final.object.kind === 'ArtifactGenerator') this.generators.push(final);
      if (final.object.group === KUSTOMIZE_CONFIG_GROUP) this.kustomizeFiles.push(final);
    }
    for (const info of this.kustomizations) this.kustomizationByObject.set(objectId(info.flux.object), info);
    this.resolveReferences();
    this.findAutomations();
  }

  private firstValue(file: string): unknown {
    const section = this.documents.get(pathToUri(file))?.sections[0];
    return section ? sectionValue(section) : undefined;
  }

  private load(object: IndexedObject, namespace: string | undefined): FluxObject | undefined {
    const file = this.documents.get(object.uri);
    const section = file?.sections[object.sectionIndex];
    // Plain values are cached by section parse: an unchanged section converts once.
    const id = objectId(object);
    let value = this.cache.values.get(id);
    if (!value && section) {
      value = record(sectionValue(section));
      if (value) this.cache.values.set(id, value);
    }
    return file && section && value ? { object, file, section, value, namespace } : undefined;
  }

  private effectiveNamespace(object: IndexedObject): string | undefined {
    const file = this.cache.paths.of(object.uri);
    const first = file ? this.appliedBy.get(file)?.[0] : undefined;
    return first?.info.targetNamespace ?? first?.namespace ?? object.namespace;
  }

  /** Whether a source object is this repository: bootstrap names its GitRepository `flux-system`. */
  private isLocalGit(kind: string | undefined, name: string | undefined): boolean {
    return kind === 'GitRepository' && name === 'flux-system';
  }

  /** Folders (absolute) a spec.path may mean, nearest repository root first. */
  private candidates(from: FluxObject, specPath: string | undefined, sourceRef: Record<string, unknown> | undefined, generatorObjects: readonly FluxObject[]): string[] | undefined {
    const kind = str(sourceRef?.kind);
    const name = str(sourceRef?.name);
    const namespace = str(sourceRef?.namespace) ?? from.object.namespace;
    const relative = normaliseSourcePath(specPath);
    if (this.isLocalGit(kind, name)) return this.localFolders(from, relative);
    if (kind !== 'ExternalArtifact') return undefined;
    // An ExternalArtifact produced by an ArtifactGenerator copying from this repository.
    // Several clusters may each declare a generator of that name: the nearest one's copies come first.
    const generators = generatorObjects
      .filter((f) => f.object.namespace === namespace)
      .sort((a, b) => sharedPrefix(b.object.uri, from.object.uri) - sharedPrefix(a.object.uri, from.object.uri));
    const folders: string[] = [];
    let fromHere = false;
    for (const generator of generators) {
      const spec = record(generator.value.spec);
      const sources = Array.isArray(spec?.sources) ? spec.sources.map(record) : [];
      const artifact = (Array.isArray(spec?.artifacts) ? spec.artifacts.map(record) : []).find((a) => a?.name === name);
      if (!artifact) continue;
      const local = new Set(sources.filter((s) => this.isLocalGit(str(s?.kind), str(s?.name))).map((s) => str(s?.alias)));
      fromHere ||= local.size > 0;
      for (const copy of Array.isArray(artifact.copy) ? artifact.copy.map(record) : []) {
        const fromSpec = /^@([^/]+)\/?(.*)$/.exec(str(copy?.from) ?? '');
        const to = /^@artifact\/?(.*)$/.exec(str(copy?.to) ?? '');
        if (!fromSpec || !to || !local.has(fromSpec[1])) continue;
        const base = fromSpec[2]!.split('/').filter((s) => !/[*?[]/.test(s)).join('/');
        // `(?<!\/)`: the match starts at a run's first slash only (linear on a long run).
        const dest = to[1]!.replace(/(?<!\/)\/+$/, '');
        if (dest === '' || relative === dest || relative.startsWith(`${dest}/`)) {
          folders.push(...this.localFolders(generator, path.posix.join(base, relative.slice(dest.length).replace(/^\//, ''))));
        }
      }
    }
    return fromHere ? folders : undefined;
  }

  /** A repository-relative folder, tried from each ancestor of the declaring file (nearest first). */
  private localFolders(from: FluxObject, relative: string): string[] {
    const file = this.cache.paths.of(from.object.uri);
    if (!file) return [];
    if (relative === '' || relative === '.') return [this.root];
    const folders: string[] = [];
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      folders.push(path.join(dir, relative));
      if (dir === this.root || path.dirname(dir) === dir || !dir.startsWith(this.root)) break;
    }
    return folders;
  }

  private kustomization(flux: FluxObject, generators: readonly FluxObject[]): KustomizationInfo {
    const spec = record(flux.value.spec) ?? {};
    const common = {
      flux,
      decryption: spec.decryption !== undefined && spec.decryption !== null,
      postBuild: spec.postBuild !== undefined && spec.postBuild !== null,
      ...(str(spec.targetNamespace) ? { targetNamespace: str(spec.targetNamespace) } : {}),
    };
    const candidates = this.candidates(flux, str(spec.path), record(spec.sourceRef), generators);
    if (candidates === undefined) return { ...common, pathStatus: 'external' };
    const folder = candidates.find((c) => this.tree.isDirectory(c));
    if (!folder) return { ...common, pathStatus: 'missing' };
    return { ...common, folder, pathStatus: 'found', applied: appliedFiles(this.tree, folder) };
  }

  /** What each facet holds, as a string that changes exactly when a rule could see a difference. */
  digests(): Record<FluxFacet, string> {
    const id = (f: FluxObject): string => `${f.object.uri}|${f.object.kind}/${f.namespace ?? ''}/${f.object.name ?? ''}`;
    const objects = [...this.objects.values()];
    const spec = (f: FluxObject): Record<string, unknown> => record(f.value.spec) ?? {};
    const keysOf = (v: unknown): string => Object.keys(record(v) ?? {}).join(',');
    return {
      // Every object's kind/namespace/name too: missing references suggest close names.
      references: [
        ...this.references.map((r) => [id(r.from), r.site.field.path, r.site.kind, r.site.name, r.namespace, r.targets.length > 0, r.cycle?.join('>')].join('|')),
        ...objects.map(id),
      ].join('\n'),
      kustomizations: this.kustomizations
        .map((k) => [id(k.flux), k.pathStatus, k.folder, k.applied?.files.map((f) => f.file).join(',')].join('|'))
        .join('\n'),
      applied: [
        ...[...this.appliedBy].map(([file, list]) => `${file}:${list.map((a) => `${id(a.info.flux)}/${a.namespace}/${a.info.decryption}/${a.info.postBuild}`).join(',')}`),
        ...this.kustomizations.filter((k) => k.postBuild).map((k) => JSON.stringify(spec(k.flux).postBuild)),
        ...objects.filter((f) => f.object.group === '' && WATCHED_CORE_KINDS.has(f.object.kind)).map((f) => `${id(f)}:${keysOf(f.value.data)}:${keysOf(f.value.stringData)}`),
        ...this.kustomizeFiles.map((f) => `${id(f)}:${generatedNames(f.value, 'ConfigMap')}:${generatedNames(f.value, 'Secret')}`),
        JSON.stringify([...this.sopsConfigs]),
        [...this.patchFiles].join(','),
      ].join('\n'),
      substituted: `${[...this.substitutedBy.keys()].join(',')}\n${[...this.appliedBy.keys()].join(',')}`,
      images: [
        ...objects.filter((f) => f.object.kind === 'ImagePolicy').map((f) => `${id(f)}|${JSON.stringify(record(f.value.metadata)?.labels)}|${String(spec(f).digestReflectionPolicy)}`),
        ...this.automations.map((a) => `${id(a.automation)}|${a.folder}|${JSON.stringify(spec(a.automation).policySelector)}`),
      ].join('\n'),
      tree: this.files.join('\n'),
    };
  }

  /** Objects of the allowed kinds with that name in that namespace (either side unknown matches). */
  lookup(kinds: readonly string[], name: string, namespace: string | undefined): ReferenceTarget[] {
    const found: ReferenceTarget[] = [];
    const inNamespace = (f: FluxObject): boolean => namespace === undefined || f.namespace === undefined || f.namespace === namespace;
    for (const kind of kinds) {
      for (const f of this.byKindName.get(`${kind}\0${name}`) ?? []) if (matchesGroup(f.object) && inNamespace(f)) found.push({ flux: f });
      if (kind === 'ConfigMap' || kind === 'Secret') {
        for (const f of this.kustomizeFiles) {
          if (generatedNames(f.value, kind).includes(name)) found.push({ flux: f, producedBy: `${kind} generator of ${path.basename(uriToPath(f.object.uri) ?? '')}` });
        }
      }
      if (kind === 'ExternalArtifact') {
        for (const f of this.generators) {
          const artifacts = record(f.value.spec)?.artifacts;
          if (inNamespace(f) && Array.isArray(artifacts) && artifacts.some((a) => record(a)?.name === name)) {
            found.push({ flux: f, producedBy: `ArtifactGenerator ${f.namespace ?? ''}/${f.object.name ?? ''}` });
          }
        }
      }
    }
    return found;
  }

  private resolveReferences(): void {
    for (const from of this.objects.values()) {
      if (!isFluxKind(from.object.group, from.object.kind)) continue;
      const id = objectId(from.object);
      let sites = this.cache.sites.get(id);
      if (!sites) this.cache.sites.set(id, (sites = referenceSites(from.section.doc, from.object.kind)));
      for (const site of sites) {
        const namespace = site.field.crossNamespace ? (site.namespace ?? from.namespace) : from.namespace;
        const allowed = site.kind !== undefined && site.field.kinds.includes(site.kind);
        const targets = allowed && site.name !== undefined && !site.name.includes('*') ? this.lookup([site.kind!], site.name, namespace) : [];
        this.references.push({ from, site, namespace, targets });
      }
    }
    this.markCycles();
    for (const r of this.references) {
      pushTo(this.referencesFrom, objectId(r.from.object), r);
      for (const t of r.targets) pushTo(this.referencesTo, objectId(t.flux.object), r);
    }
  }

  private markCycles(): void {
    const key = (f: FluxObject) => objectKeyOf(f.object.kind, f.namespace, f.object.name);
    const edges = new Map<string, string[]>();
    const dependsOn = this.references.filter((r) => r.site.field.path === 'spec.dependsOn[]');
    for (const r of dependsOn) {
      const list = edges.get(key(r.from)) ?? [];
      for (const t of r.targets) list.push(key(t.flux));
      edges.set(key(r.from), list);
    }
    const cycles = new Map<string, readonly string[]>();
    for (const edge of cycleEdges(edges)) cycles.set(`${edge.from}>${edge.to}`, edge.cycle.map((k) => k.split('/').slice(1).join('/')));
    this.references.forEach((r, i) => {
      if (r.site.field.path !== 'spec.dependsOn[]') return;
      for (const t of r.targets) {
        const cycle = cycles.get(`${key(r.from)}>${key(t.flux)}`);
        if (cycle) this.references[i] = { ...r, cycle };
      }
    });
  }

  private findAutomations(): void {
    for (const f of this.objects.values()) {
      if (f.object.kind !== 'ImageUpdateAutomation' || !isFluxKind(f.object.group, f.object.kind)) continue;
      const spec = record(f.value.spec);
      const source = record(spec?.sourceRef);
      if (!this.isLocalGit(str(source?.kind) ?? 'GitRepository', str(source?.name))) continue;
      const relative = normaliseSourcePath(str(record(spec?.update)?.path));
      const folder = this.localFolders(f, relative).find((c) => this.tree.isDirectory(c));
      if (folder) this.automations.push({ automation: f, folder });
    }
  }
}

/** Kinds named by references are Flux kinds in their Flux group, or core kinds in the core group. */
function matchesGroup(o: IndexedObject): boolean {
  return isFluxKind(o.group, o.kind) || o.group === '';
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sharedPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

function commonAncestor(files: readonly string[]): string {
  if (files.length === 0) return path.parse(process.cwd()).root;
  let common = path.dirname(files[0]!);
  for (const file of files) {
    while (!(file + path.sep).startsWith(common.endsWith(path.sep) ? common : common + path.sep) && path.dirname(common) !== common) {
      common = path.dirname(common);
    }
  }
  return common;
}

export class FluxModel {
  private snapshot: Snapshot | undefined;
  /** Digests of the current snapshot, once computed: what the cached rule results were computed from. */
  private digests: Record<FluxFacet, string> | undefined;
  /** Plain values and reference sites of tracked objects, kept across rebuilds (pruned to live objects). */
  private readonly cache: SectionCache = { values: new Map(), sites: new Map(), paths: new UriPaths() };
  private readonly live = new Map<string, LivePolicy>();

  constructor(private readonly documents: DocumentStore, private readonly index: ObjectIndex) {}

  /**
   * Whether a store change may change the model (and so Flux diagnostics of other files): a file
   * added or deleted, a kustomization or .sops.yaml file, or any text change in a file that holds
   * (or now holds) objects the model tracks, since its sections may have moved.
   */
  static isRelevant(change: FileChange): boolean {
    if (!change.previous || !change.file) return true;
    if (change.previous.text === change.file.text) return false;
    const name = uriToPath(change.uri);
    const base = name ? path.basename(name) : '';
    if (isKustomizationFileName(base) || base === SOPS_CONFIG_NAME) return true;
    return [...change.previous.sections, ...change.file.sections].some((s) => {
      const apiVersion = rootString(s.doc, 'apiVersion') ?? '';
      const kind = rootString(s.doc, 'kind') ?? '';
      const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
      return isTracked({ group, kind });
    });
  }

  /**
   * After a relevant store change: the facets whose facts changed. When nothing read the model
   * since the last change (a workspace scan), every facet is reported without rebuilding.
   */
  changedFacets(): FluxFacet[] {
    // Digests are computed only here, when a change needs comparing (never on a first build).
    const previous = this.snapshot ? (this.digests ??= this.snapshot.digests()) : undefined;
    this.snapshot = undefined;
    this.digests = undefined;
    if (!previous) return FACETS;
    const next = (this.digests = this.current.digests());
    return FACETS.filter((facet) => previous[facet] !== next[facet]);
  }

  private get current(): Snapshot {
    if (!this.snapshot) {
      const snapshot = new Snapshot(this.documents, this.index, this.cache);
      this.snapshot = snapshot;
      for (const map of [this.cache.values, this.cache.sites]) for (const id of map.keys()) if (!snapshot.objects.has(id)) map.delete(id);
    }
    return this.snapshot;
  }

  get root(): string {
    return this.current.root;
  }
  get tree(): KustomizeTree {
    return this.current.tree;
  }
  get kustomizations(): readonly KustomizationInfo[] {
    return this.current.kustomizations;
  }
  get references(): readonly ResolvedReference[] {
    return this.current.references;
  }
  get automations(): readonly AutomationScope[] {
    return this.current.automations;
  }

  fluxObject(object: IndexedObject | undefined): FluxObject | undefined {
    return object ? this.current.objects.get(objectId(object)) : undefined;
  }

  objects(): IterableIterator<FluxObject> {
    return this.current.objects.values();
  }

  lookup(kinds: readonly string[], name: string, namespace: string | undefined): ReferenceTarget[] {
    return this.current.lookup(kinds, name, namespace);
  }

  kustomizationOf(object: IndexedObject | undefined): KustomizationInfo | undefined {
    return object && this.current.kustomizationByObject.get(objectId(object));
  }

  /** The Flux Kustomizations applying a file, with the kustomize namespace they give it. */
  appliedBy(uri: string): readonly { info: KustomizationInfo; namespace?: string }[] {
    const file = this.cache.paths.of(uri);
    return (file && this.current.appliedBy.get(file)) || [];
  }

  /** Whether a kustomization file uses the file as a patch (a partial object). */
  isPatch(uri: string): boolean {
    const file = this.cache.paths.of(uri);
    return !!file && this.current.patchFiles.has(file);
  }

  /** The Kustomizations with postBuild whose build output holds the file's text (as a resource or a patch). */
  substitutedBy(uri: string): readonly KustomizationInfo[] {
    const file = this.cache.paths.of(uri);
    return (file && this.current.substitutedBy.get(file)) || [];
  }

  /**
   * Whether post-build substitution may rewrite the file: yes when a Kustomization with postBuild
   * builds it; no when only Kustomizations without postBuild apply it; unknown, so yes, when no
   * Kustomization of the workspace is known to apply it.
   */
  mayBeSubstituted(uri: string): boolean {
    return this.substitutedBy(uri).length > 0 || this.appliedBy(uri).length === 0;
  }

  referencesFrom(object: IndexedObject): readonly ResolvedReference[] {
    return this.current.referencesFrom.get(objectId(object)) ?? [];
  }

  referencesTo(target: FluxObject): readonly ResolvedReference[] {
    return this.current.referencesTo.get(objectId(target.object)) ?? [];
  }

  /** Whether a creation rule of the nearest `.sops.yaml` above the file covers it. */
  sopsCovers(uri: string): boolean {
    const file = this.cache.paths.of(uri);
    if (!file) return false;
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      const config = this.current.sopsConfigs.get(dir);
      if (config !== undefined) return creationRuleCovers(config, path.relative(dir, file).split(path.sep).join('/'));
      if (path.dirname(dir) === dir) return false;
    }
  }

  /** Where an object is declared: its metadata.name, or the section start. */
  locationOf(f: FluxObject): Location {
    const node = nodeAtPath(f.section.doc, ['metadata', 'name']) as Node | undefined;
    const range: YamlRange | undefined = node?.range ?? undefined;
    return { uri: f.object.uri, range: f.file.range(f.section, range?.[0] ?? 0, range?.[1] ?? 0) };
  }

  /** Every well-formed `$imagepolicy` marker naming that policy, across the workspace. */
  markersFor(namespace: string | undefined, name: string | undefined): Location[] {
    const found: Location[] = [];
    for (const uri of this.documents.uris()) {
      const file = this.documents.get(uri);
      // The controller opens only files with the exact bytes "$imagepolicy"; others hold no marker it acts on.
      if (!file || !mentionsMarkerExactly(file.text)) continue;
      for (const section of file.sections) {
        for (const marker of findMarkers(section.text)) {
          if (!marker.ref || !marker.value || marker.ref.name !== name || marker.ref.namespace !== namespace) continue;
          found.push({ uri, range: file.range(section, marker.value.start, marker.value.end) });
        }
      }
    }
    return found;
  }

  setLivePolicies(context: string, policies: readonly { namespace: string; name: string; latestRef?: LivePolicy['latestRef'] }[]): void {
    this.live.clear();
    for (const p of policies) this.live.set(`${p.namespace}/${p.name}`, { context, ...(p.latestRef ? { latestRef: p.latestRef } : {}) });
  }

  livePolicy(namespace: string | undefined, name: string | undefined): LivePolicy | undefined {
    return this.live.get(`${namespace ?? ''}/${name ?? ''}`);
  }
}

