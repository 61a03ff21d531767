import { KubeError, type KubeApi, type RequestOptions, type WatchEvent, type WatchHandle } from '../../../client/src/cluster/connection/transport';

/** A scripted stand-in for one API server, for unit-level fault injection (the real one is in test/cluster). */
export class FakeApi implements KubeApi {
  readonly requests: { method: string; path: string; options?: RequestOptions }[] = [];
  readonly watches: FakeWatch[] = [];
  closed = false;
  constructor(public respond: (method: string, path: string, options?: RequestOptions) => unknown) {}

  async request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
    this.requests.push({ method, path, options });
    const result = this.respond(method, path, options);
    if (result instanceof Error) throw result;
    return result as T;
  }

  readonly watchAccepts: (string | undefined)[] = [];

  watch(path: string, onEvent: (event: WatchEvent) => void, onOpen?: () => void, accept?: string): WatchHandle {
    this.watchAccepts.push(accept);
    const w = new FakeWatch(path, onEvent, onOpen);
    this.watches.push(w);
    return w;
  }

  close(): void {
    this.closed = true;
  }

  lastWatch(): FakeWatch {
    const w = this.watches[this.watches.length - 1];
    if (!w) throw new Error('no watch opened');
    return w;
  }
}

export class FakeWatch implements WatchHandle {
  readonly done: Promise<void>;
  aborted = false;
  private resolve!: () => void;
  private reject!: (e: Error) => void;
  constructor(
    readonly path: string,
    private readonly onEvent: (event: WatchEvent) => void,
    private readonly onOpen?: () => void,
  ) {
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }
  /** The server accepted the watch. */
  open(): void {
    this.onOpen?.();
  }
  send(type: WatchEvent['type'], object: Record<string, unknown>): void {
    this.onEvent({ type, object });
  }
  end(): void {
    this.resolve();
  }
  fail(error: KubeError): void {
    this.reject(error);
  }
  abort(): void {
    this.aborted = true;
    this.resolve();
  }
}

export const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

export function gone(): KubeError {
  return new KubeError('http', 'too old resource version', 410, 'Expired');
}
