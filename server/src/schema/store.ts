import { builtinData, builtinKinds } from './builtin';
import { kindsFromCrd } from './crd';
import { SOURCE_ORDER, schemaKey, type KindSchema, type SchemaNode, type SchemaSource } from './types';

export type SchemaListener = (changedKeys: ReadonlySet<string>) => void;

interface Layer {
  /** Raw CRD objects (kept for the warm-up) and the kinds read from them. */
  crds: unknown[];
  kinds: KindSchema[];
}

/**
 * Schemas by group/kind/version from layered sources, in preference order: live cluster CRDs,
 * workspace CRD documents, `--crds`/`fluxGitops.crdPaths`, the current cluster's CRDs cached on
 * disk (an older copy of the live source: below every source read now), then the built-in Kubernetes kinds. A kind's versions all come from the most preferred source
 * that defines the kind, so a cluster's CRD decides which versions are served.
 */
export class SchemaStore {
  private live: Layer = { crds: [], kinds: [] };
  private readonly workspace = new Map<string, Layer>();
  private paths: Layer = { crds: [], kinds: [] };
  private cache: Layer = { crds: [], kinds: [] };
  private builtin: KindSchema[] | undefined;
  private merged: Map<string, KindSchema[]> | undefined;
  private readonly listeners: SchemaListener[] = [];

  constructor(private readonly definitions: () => Readonly<Record<string, SchemaNode>> = () => builtinData().definitions) {}

  onDidChange(listener: SchemaListener): void {
    this.listeners.push(listener);
  }

  /** Replaces the live-cluster CRDs (the client pushes them on connect and on change). */
  setLive(crds: readonly unknown[]): void {
    this.replace(() => (this.live = layer(crds, 'live')), [this.live]);
  }

  /** CRDs defined by one workspace file; an empty list forgets the file. */
  setWorkspaceFile(uri: string, crds: readonly unknown[]): void {
    const old = this.workspace.get(uri);
    if (!old && crds.length === 0) return;
    this.replace(() => {
      const next = layer(crds, 'workspace', uri);
      if (crds.length) this.workspace.set(uri, next);
      else this.workspace.delete(uri);
      return next;
    }, old ? [old] : []);
  }

  setPaths(crds: readonly unknown[]): void {
    this.replace(() => (this.paths = layer(crds, 'paths')), [this.paths]);
  }

  setCache(crds: readonly unknown[]): void {
    this.replace(() => (this.cache = layer(crds, 'cache')), [this.cache]);
  }

  /** CRD objects from the live cluster, the workspace and paths (the warm-up runs the validator on them). */
  seenCrds(): unknown[] {
    return [...this.live.crds, ...[...this.workspace.values()].flatMap((l) => l.crds), ...this.paths.crds];
  }

  /** Every version of a kind, from the most preferred source defining it. */
  versions(group: string, kind: string): readonly KindSchema[] {
    return this.table().get(`${group}/${kind}`) ?? [];
  }

  lookup(group: string, version: string, kind: string): KindSchema | undefined {
    return this.versions(group, kind).find((k) => k.version === version);
  }

  /** Every known kind version (each group/kind from its winning source). */
  all(): KindSchema[] {
    return [...this.table().values()].flat();
  }

  /** Follows `$ref` into the built-in definitions (CRD nodes are returned as they are). */
  resolve(node: SchemaNode | undefined): SchemaNode | undefined {
    for (let i = 0; node?.$ref !== undefined && i < 8; i++) node = this.definitions()[node.$ref];
    return node;
  }

  private table(): Map<string, KindSchema[]> {
    if (this.merged) return this.merged;
    this.builtin ??= builtinKinds(builtinData());
    const merged = new Map<string, KindSchema[]>();
    const winner = new Map<string, SchemaSource>();
    const layers: KindSchema[][] = [this.live.kinds, ...[...this.workspace.values()].map((l) => l.kinds), this.paths.kinds, this.cache.kinds, this.builtin];
    for (const kinds of layers) {
      for (const k of kinds) {
        const key = `${k.group}/${k.kind}`;
        const won = winner.get(key);
        if (won !== undefined && SOURCE_ORDER.indexOf(won) < SOURCE_ORDER.indexOf(k.source)) continue;
        if (won === undefined) winner.set(key, k.source);
        const list = merged.get(key) ?? [];
        // Two files of the same source defining the same CRD: the first one wins per version.
        if (!list.some((x) => x.version === k.version)) list.push(k);
        merged.set(key, list);
      }
    }
    this.merged = merged;
    return merged;
  }

  private replace(update: () => Layer, before: readonly Layer[]): void {
    const keys = new Set<string>();
    for (const l of before) for (const k of l.kinds) keys.add(schemaKey(k.group, k.kind));
    const after = update();
    for (const k of after.kinds) keys.add(schemaKey(k.group, k.kind));
    this.merged = undefined;
    if (keys.size) for (const listener of this.listeners) listener(keys);
  }
}

function layer(crds: readonly unknown[], source: SchemaSource, origin?: string): Layer {
  return { crds: [...crds], kinds: crds.flatMap((c) => kindsFromCrd(c, source, origin)) };
}
