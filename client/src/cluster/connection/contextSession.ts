/**
 * Everything one kubeconfig context shows: discovery of the Flux kinds served, a list+watch per
 * kind (cluster-wide, or per namespace when configured or when cluster-wide access is denied), and
 * one state for the tree: connecting, ready, no Flux, or an error with its message. Objects stay
 * visible (stale) while a connection is down; watches recover by themselves.
 */
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import type { Clock } from './clock';
import { discoverFluxTypes } from './discovery';
import { FLUX_GROUPS, fluxKindInfo } from './fluxKinds';
import { Listeners } from './listeners';
import type { KubeObject, ObservedObject } from './objects';
import { ResourceWatch, resourcePath, type ResourceType, type WatchChange } from './resourceWatch';
import { KubeError, type KubeApi } from './transport';

const CRD_TYPE: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false };
/** Rediscovery waits for a burst of CRD changes (an upgrade applies them all) to end. */
const REDISCOVER_AFTER_MS = 1000;

/** Beyond this many namespaces, probing each one per kind costs more than it shows. */
const MAX_PROBED_NAMESPACES = 30;

export type SessionState = 'connecting' | 'ready' | 'noFlux' | 'error';

export interface SessionOptions {
  /** Namespaces to show; empty = all the user may list. */
  readonly namespaces: readonly string[];
  /** The context's default namespace, the fallback when namespaces cannot be listed. */
  readonly defaultNamespace?: string;
  readonly backoff?: BackoffOptions;
}

export interface SessionChange {
  /** The kind whose objects changed, or undefined when the session's state changed. */
  readonly kind?: string;
  readonly keys: readonly string[];
  /** Objects were added or removed, or the session's state changed: more than the listed objects may look different. */
  readonly structural: boolean;
}

export class ContextSession {
  state: SessionState = 'connecting';
  error: string | undefined;
  /** Access problems that leave part of the cluster hidden (e.g. forbidden namespaces). */
  readonly warnings = new Set<string>();
  types: ResourceType[] = [];
  readonly changed = new Listeners<SessionChange>();
  /** CRDs were added, changed or removed after the first list (Flux installed or upgraded...). */
  readonly crdsChanged = new Listeners<void>();
  private crdWatch: ResourceWatch | undefined;
  private rediscoverTimer: unknown;
  private watches: ResourceWatch[] = [];
  /** Namespaces tried because cluster-wide access was denied: a denial there is expected, not news. */
  private readonly probed = new Set<string>();
  private stopped = false;
  private timer: unknown;
  private readonly backoff: Backoff;

  constructor(
    readonly context: string,
    readonly api: KubeApi,
    private readonly clock: Clock,
    private readonly options: SessionOptions,
  ) {
    this.backoff = new Backoff(options.backoff ?? DEFAULT_BACKOFF);
  }

  start(): void {
    void this.discover();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    if (this.rediscoverTimer !== undefined) this.clock.clearTimeout(this.rediscoverTimer);
    this.crdWatch?.stop();
    for (const w of this.watches) w.stop();
    this.watches = [];
    this.api.close();
  }

  private async discover(): Promise<void> {
    try {
      this.types = await discoverFluxTypes(this.api);
    } catch (e) {
      if (this.stopped) return;
      this.setState('error', messageOf(e));
      this.timer = this.clock.setTimeout(() => void this.discover(), this.backoff.next());
      return;
    }
    if (this.stopped) return;
    this.watchCrds();
    this.startWatches();
  }

  private startWatches(): void {
    if (this.types.length === 0) return this.setState('noFlux');
    const namespaces = this.options.namespaces;
    for (const type of this.types) {
      if (namespaces.length && type.namespaced) for (const ns of namespaces) this.addWatch(type, ns);
      else this.addWatch(type, undefined);
    }
    this.updateState();
  }

  /**
   * Follows the CRDs (metadata only: their schemas are large) so that installing or upgrading Flux
   * while the view is open changes the kinds and versions watched. Users who may not list CRDs
   * keep the kinds discovered at the start.
   */
  private watchCrds(): void {
    const watch = new ResourceWatch(this.api, CRD_TYPE, undefined, this.clock, this.options.backoff, true);
    let listed = false;
    watch.changed.on((change) => {
      if (change.relisted && !listed) return void (listed = true);
      this.crdsChanged.emit();
      const fluxCrd = (key: string) => FLUX_GROUPS.has(key.slice(key.indexOf('.') + 1));
      if (change.relisted || change.keys.some(fluxCrd)) this.scheduleRediscovery();
    });
    watch.stateChanged.on(() => {
      if (watch.state === 'error' && watch.error?.forbidden) watch.stop();
    });
    this.crdWatch = watch;
    watch.start();
  }

  private scheduleRediscovery(): void {
    if (this.rediscoverTimer !== undefined) this.clock.clearTimeout(this.rediscoverTimer);
    this.rediscoverTimer = this.clock.setTimeout(() => {
      this.rediscoverTimer = undefined;
      void this.rediscover();
    }, REDISCOVER_AFTER_MS);
  }

  private async rediscover(): Promise<void> {
    let types: ResourceType[];
    try {
      types = await discoverFluxTypes(this.api);
    } catch {
      return; // the watches report connection problems; the next CRD change tries again
    }
    const signature = (list: ResourceType[]) => list.map((t) => `${t.group}/${t.version}/${t.plural}`).sort().join();
    if (this.stopped || signature(types) === signature(this.types)) return;
    for (const w of this.watches) w.stop();
    this.watches = [];
    this.warnings.clear();
    this.probed.clear();
    this.types = types;
    this.changed.emit({ keys: [], structural: true });
    this.startWatches();
  }

  private addWatch(type: ResourceType, namespace: string | undefined): void {
    const watch = new ResourceWatch(this.api, type, namespace, this.clock, this.options.backoff);
    watch.changed.on((change: WatchChange) => this.changed.emit({ kind: change.kind, keys: change.keys, structural: change.structural }));
    watch.stateChanged.on(() => {
      if (watch.state === 'error' && watch.error?.forbidden) void this.onForbidden(watch);
      else this.updateState();
    });
    this.watches.push(watch);
    watch.start();
  }

  private removeWatch(watch: ResourceWatch): void {
    watch.stop();
    this.watches = this.watches.filter((w) => w !== watch);
  }

  /** A denied cluster-wide watch falls back to one watch per namespace the user may read. */
  private async onForbidden(watch: ResourceWatch): Promise<void> {
    this.removeWatch(watch);
    if (watch.namespace !== undefined) {
      if (!this.probed.has(watch.namespace)) this.warnings.add(`No access to ${watch.type.kind} objects in namespace ${watch.namespace}: ${watch.error?.message ?? 'forbidden'}`);
      return this.updateState();
    }
    let namespaces: string[];
    try {
      const list = await this.api.request<{ items?: KubeObject[] }>('GET', '/api/v1/namespaces');
      namespaces = (list.items ?? []).map((n) => n.metadata.name);
    } catch {
      namespaces = this.options.defaultNamespace ? [this.options.defaultNamespace] : [];
    }
    if (this.stopped) return;
    this.warnings.add(`Cannot list ${watch.type.kind} objects cluster-wide; showing the namespaces you can read.`);
    if (namespaces.length === 0 || namespaces.length > MAX_PROBED_NAMESPACES) {
      this.warnings.add(`Set fluxGitops.cluster.namespaces to the namespaces you may read in context ${this.context}.`);
    }
    for (const ns of namespaces.slice(0, MAX_PROBED_NAMESPACES)) {
      this.probed.add(ns);
      this.addWatch(watch.type, ns);
    }
    this.updateState();
  }

  private updateState(): void {
    const failing = this.watches.find((w) => w.state === 'error');
    if (failing) return this.setState('error', failing.error?.message);
    if (this.watches.every((w) => w.state === 'synced')) return this.setState('ready');
    this.setState(this.state === 'error' ? 'error' : 'connecting', this.error);
  }

  private setState(state: SessionState, error?: string): void {
    if (state === this.state && error === this.error) return;
    this.state = state;
    this.error = error;
    this.changed.emit({ keys: [], structural: true });
  }

  /** Every object of a kind, across namespaces. */
  objectsOf(kind: string): KubeObject[] {
    const found: KubeObject[] = [];
    for (const w of this.watches) if (w.type.kind === kind) found.push(...w.objects.values());
    return found;
  }

  all(): KubeObject[] {
    return this.watches.flatMap((w) => [...w.objects.values()]);
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const key = `${namespace ?? ''}/${name}`;
    for (const w of this.watches) {
      if (w.type.kind !== kind) continue;
      const obj = w.objects.get(key);
      if (obj) return obj;
    }
    return undefined;
  }

  typeOf(kind: string, group?: string): ResourceType | undefined {
    return this.types.find((t) => t.kind === kind && (group === undefined || t.group === group));
  }

  isStatusless(obj: KubeObject): boolean {
    return fluxKindInfo(obj.apiVersion.split('/')[0] ?? '', obj.kind)?.statusless === true;
  }

  /** How many lists the watches made in total (each 410 Gone or failure adds one). */
  get listCount(): number {
    return this.watches.reduce((n, w) => n + w.listCount, 0);
  }

  /** Follows one object through this session's watches. */
  observe(kind: string, namespace: string | undefined, name: string): ObservedObject {
    return {
      current: () => this.get(kind, namespace, name),
      onChange: (listener) =>
        this.changed.on((change) => {
          if (change.kind === kind && (change.keys.length === 0 || change.keys.includes(`${namespace ?? ''}/${name}`))) {
            listener(this.get(kind, namespace, name));
          }
        }),
    };
  }

  async fetchLive(type: ResourceType, namespace: string | undefined, name: string): Promise<KubeObject> {
    return this.api.request<KubeObject>('GET', resourcePath(type, namespace, name));
  }
}

export function messageOf(e: unknown): string {
  return e instanceof KubeError || e instanceof Error ? e.message : String(e);
}
