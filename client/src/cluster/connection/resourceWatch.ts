/**
 * List + watch of one resource (optionally in one namespace): a paged list, then a watch from the
 * list's resourceVersion with bookmarks. A stream that ends or fails is resumed from the last
 * resourceVersion seen (after a backoff when it failed, showing the error meanwhile); 410 Gone (as
 * an HTTP status or an ERROR event) leads to a fresh list. Never polls.
 */
import { Backoff, type BackoffOptions, DEFAULT_BACKOFF } from './backoff';
import type { Clock } from './clock';
import { Listeners } from './listeners';
import type { KubeObject } from './objects';
import { KubeError, type KubeApi, type WatchEvent, type WatchHandle } from './transport';

export interface ResourceType {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

export function resourcePath(type: ResourceType, namespace?: string, name?: string): string {
  const base = type.group ? `/apis/${type.group}/${type.version}` : `/api/${type.version}`;
  const ns = namespace && type.namespaced ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${type.plural}${name ? `/${encodeURIComponent(name)}` : ''}`;
}

export type WatchState = 'connecting' | 'synced' | 'error';

export interface WatchChange {
  readonly kind: string;
  /** Keys (namespace/name) that changed; empty after a full (re)list, which may change anything. */
  readonly keys: readonly string[];
  readonly relisted: boolean;
  /** Objects were added or removed (a relist counts), not only modified. */
  readonly structural: boolean;
}

interface ListResponse {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubeObject[];
}

const PAGE = 500;

/** Metadata-only lists and watches (PartialObjectMetadata): enough to notice changes to big objects such as CRDs. */
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json';
const METADATA_ITEM = 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json';

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

/** Drops what the features never read and what costs most memory. */
function slim(obj: KubeObject): KubeObject {
  if (!obj.metadata.managedFields) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  return { ...obj, metadata } as KubeObject;
}

export class ResourceWatch {
  readonly objects = new Map<string, KubeObject>();
  readonly changed = new Listeners<WatchChange>();
  readonly stateChanged = new Listeners<WatchState>();
  state: WatchState = 'connecting';
  error: KubeError | undefined;
  /** How many times the list was fetched: 1 after the first sync, one more after each 410 Gone. */
  listCount = 0;
  private resourceVersion: string | undefined;
  private handle: WatchHandle | undefined;
  private timer: unknown;
  private stopped = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly api: KubeApi,
    readonly type: ResourceType,
    readonly namespace: string | undefined,
    private readonly clock: Clock,
    backoff: BackoffOptions = DEFAULT_BACKOFF,
    private readonly metadataOnly = false,
  ) {
    this.backoff = new Backoff(backoff);
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.handle?.abort();
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  private setState(state: WatchState, error?: KubeError): void {
    const changed = state !== this.state || error?.message !== this.error?.message;
    this.state = state;
    this.error = error;
    if (changed) this.stateChanged.emit(state);
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.resourceVersion === undefined) await this.list();
        const started = this.clock.now();
        await this.watchOnce();
        // A stream the server ends at once again and again must not spin.
        if (this.clock.now() - started < 1000) await this.sleep(this.backoff.next());
        else this.backoff.reset();
      } catch (e) {
        if (this.stopped) return;
        const error = e instanceof KubeError ? e : new KubeError('protocol', String(e));
        if (error.gone) {
          this.resourceVersion = undefined;
          continue;
        }
        this.setState('error', error);
        await this.sleep(this.backoff.next());
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        resolve();
      }, ms);
    });
  }

  private async list(): Promise<void> {
    const fresh = new Map<string, KubeObject>();
    let token: string | undefined;
    let version: string | undefined;
    do {
      const query = `?limit=${PAGE}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
      const page = await this.api.request<ListResponse>('GET', resourcePath(this.type, this.namespace) + query, this.metadataOnly ? { accept: METADATA_LIST } : {});
      for (const item of page.items ?? []) {
        // List items carry no apiVersion/kind; the watch events do.
        const obj = slim({ ...item, apiVersion: this.type.group ? `${this.type.group}/${this.type.version}` : this.type.version, kind: this.type.kind });
        fresh.set(keyOf(obj), obj);
      }
      token = page.metadata?.continue || undefined;
      version = page.metadata?.resourceVersion;
    } while (token && !this.stopped);
    this.objects.clear();
    for (const [k, v] of fresh) this.objects.set(k, v);
    this.resourceVersion = version;
    this.listCount++;
    this.setState('synced');
    this.changed.emit({ kind: this.type.kind, keys: [], relisted: true, structural: true });
  }

  private async watchOnce(): Promise<void> {
    const timeout = 240 + Math.floor(Math.random() * 60);
    const query = `?watch=1&allowWatchBookmarks=true&timeoutSeconds=${timeout}&resourceVersion=${encodeURIComponent(this.resourceVersion ?? '')}`;
    this.handle = this.api.watch(
      resourcePath(this.type, this.namespace) + query,
      (event) => this.apply(event),
      () => this.setState('synced'),
      this.metadataOnly ? METADATA_ITEM : undefined,
    );
    try {
      await this.handle.done;
    } finally {
      this.handle = undefined;
    }
    if (this.pendingError) {
      const error = this.pendingError;
      this.pendingError = undefined;
      throw error;
    }
  }

  private pendingError: KubeError | undefined;

  private apply(event: WatchEvent): void {
    if (this.stopped) return;
    if (event.type === 'ERROR') {
      const status = event.object as { code?: number; message?: string; reason?: string };
      this.pendingError = new KubeError('http', status.message ?? 'watch error', status.code, status.reason);
      this.handle?.abort();
      return;
    }
    const obj = event.object as unknown as KubeObject;
    if (obj.metadata?.resourceVersion) this.resourceVersion = obj.metadata.resourceVersion;
    if (this.state !== 'synced') this.setState('synced');
    if (event.type === 'BOOKMARK') return;
    const key = keyOf(obj);
    if (event.type === 'DELETED') this.objects.delete(key);
    else this.objects.set(key, slim(obj));
    this.changed.emit({ kind: this.type.kind, keys: [key], relisted: false, structural: event.type !== 'MODIFIED' });
  }
}
