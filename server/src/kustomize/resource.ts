/**
 * A resource during a build, and its identity as kustomize sees it (kyaml's resid): group, version, kind,
 * name and namespace, where the namespace compares as its "effective" value (none and `default` are the
 * same; cluster-scoped kinds have none). The build state kustomize keeps in internal annotations
 * (previous ids, name prefixes/suffixes, generator behaviour, hash suffix) is kept here beside the object.
 */
import builtinSchema from './builtinSchema.json';
import { cloneValue, isMap, member, newMap, scalarText, setMember, deleteMember, type Origin, type ValueMap } from './values';

export interface Gvk {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ResId extends Gvk {
  readonly name: string;
  readonly namespace: string;
  /** Known to kyaml as cluster-scoped (only built-in kinds are). */
  readonly clusterScoped: boolean;
}

/** kyaml's stand-in namespace of cluster-scoped objects, and the default one. */
export const NOT_NAMESPACEABLE = '_non_namespaceable_';
const DEFAULT_NAMESPACE = 'default';

const CLUSTER_SCOPED = new Set<string>(builtinSchema.clusterScoped);

function isClusterScoped(apiVersion: string, kind: string): boolean {
  return CLUSTER_SCOPED.has(`${apiVersion}|${kind}`);
}

function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function apiVersionOf(gvk: Gvk): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

export function effectiveNamespace(id: ResId): string {
  if (id.clusterScoped) return NOT_NAMESPACEABLE;
  return id.namespace === '' || id.namespace === DEFAULT_NAMESPACE ? DEFAULT_NAMESPACE : id.namespace;
}

export function idsEqual(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

/** kyaml's id text, used in kustomize's messages: `Kind.version.group/name.namespace`. */
export function idString(id: ResId): string {
  return `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

/** How a generated object joins one of the same id: kustomize's generator `behavior`. */
export type GeneratorBehavior = 'create' | 'merge' | 'replace';

export class Resource {
  /** Ids this object had before namespace, prefix/suffix, hash or patches renamed it, oldest first. */
  prevIds: ResId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  /** Set on generated objects only. */
  behavior: GeneratorBehavior | undefined;
  needsHashSuffix = false;
  /** Referrers updated by the name-reference fix-up (kustomize's refBy annotation). */
  refBy: ResId[] = [];

  constructor(
    public obj: ValueMap,
    /** Where the object's document is. */
    readonly origin: Origin,
  ) {}

  get apiVersion(): string {
    return scalarText(member(this.obj, 'apiVersion'));
  }

  get kind(): string {
    return scalarText(member(this.obj, 'kind'));
  }

  get name(): string {
    return scalarText(member(member(this.obj, 'metadata'), 'name'));
  }

  get namespace(): string {
    return scalarText(member(member(this.obj, 'metadata'), 'namespace'));
  }

  gvk(): Gvk {
    return this.curId();
  }

  /** The current id, recomputed only when apiVersion, kind, name or namespace changed (it is asked for often). */
  curId(): ResId {
    const apiVersion = this.apiVersion;
    const kind = this.kind;
    const name = this.name;
    const namespace = this.namespace;
    const cached = this.idCache;
    if (cached && cached.apiVersion === apiVersion && cached.kind === kind && cached.id.name === name && cached.id.namespace === namespace) return cached.id;
    const id = { ...parseApiVersion(apiVersion), kind, name, namespace, clusterScoped: isClusterScoped(apiVersion, kind) };
    this.idCache = { apiVersion, kind, id };
    return id;
  }

  private idCache: { apiVersion: string; kind: string; id: ResId } | undefined;

  /** The id before any renaming. */
  orgId(): ResId {
    return this.prevIds[0] ?? this.curId();
  }

  allIds(): ResId[] {
    return [...this.prevIds, this.curId()];
  }

  /**
   * Records the current id before a rename. kustomize stores the effective namespace and rebuilds the id
   * with the current group/version, as a namespaced id (so a cluster-scoped object keeps its stand-in).
   */
  storePreviousId(): void {
    const id = this.curId();
    this.prevIds.push({ ...id, namespace: effectiveNamespace(id), clusterScoped: false });
  }

  /** kyaml's metadata object, created when missing. */
  metadata(): ValueMap {
    const meta = member(this.obj, 'metadata');
    if (isMap(meta)) return meta;
    const created = newMap();
    setMember(this.obj, 'metadata', created);
    return created;
  }

  setName(name: string, origin?: Origin): void {
    setMember(this.metadata(), 'name', name, origin);
  }

  setNamespace(namespace: string, origin?: Origin): void {
    if (namespace === '') deleteMember(this.metadata(), 'namespace');
    else setMember(this.metadata(), 'namespace', namespace, origin);
  }

  /** A copy sharing nothing mutable. */
  copy(): Resource {
    const r = new Resource(cloneValue(this.obj), this.origin);
    r.prevIds = [...this.prevIds];
    r.prefixes = [...this.prefixes];
    r.suffixes = [...this.suffixes];
    r.behavior = this.behavior;
    r.needsHashSuffix = this.needsHashSuffix;
    r.refBy = [...this.refBy];
    return r;
  }
}

/** `metadata.labels` or `metadata.annotations` as strings (kyaml reads each value's text). */
export function stringMapOf(obj: ValueMap, field: 'labels' | 'annotations'): Record<string, string> {
  const map = member(member(obj, 'metadata'), field);
  const result: Record<string, string> = {};
  if (isMap(map)) for (const key of Object.keys(map)) result[key] = scalarText(map[key]);
  return result;
}
