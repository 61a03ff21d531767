/**
 * HTTP to one kubeconfig context's API server. Authentication (client certificates, tokens, exec
 * credential plugins) comes from @kubernetes/client-node's KubeConfig; the requests themselves go
 * through one keep-alive agent per context, because client-node 1.4 creates a new agent per request
 * and leaks sockets on frequent watch reconnects. Every request has a connect timeout, so an
 * unreachable server becomes an error in seconds rather than a hang.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type KubeErrorKind = 'unreachable' | 'timeout' | 'http' | 'protocol';

export class KubeError extends Error {
  constructor(
    readonly kind: KubeErrorKind,
    message: string,
    readonly status?: number,
    readonly reason?: string,
  ) {
    super(message);
  }
  get forbidden(): boolean {
    return this.status === 403;
  }
  get gone(): boolean {
    return this.status === 410;
  }
}

export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: Record<string, unknown>;
}

export interface RequestOptions {
  readonly body?: unknown;
  readonly contentType?: string;
  /** Accept header (default application/json), e.g. to ask for metadata only. */
  readonly accept?: string;
}

export interface WatchHandle {
  /** Resolves when the server ends the stream, rejects on a connection or HTTP error. */
  readonly done: Promise<void>;
  abort(): void;
}

/** What the stores and actions need from a cluster: a fake can stand in for it in unit tests. */
export interface KubeApi {
  request<T = unknown>(method: string, path: string, options?: RequestOptions): Promise<T>;
  /** `onOpen` is called when the server accepted the watch (before any event). */
  watch(path: string, onEvent: (event: WatchEvent) => void, onOpen?: () => void, accept?: string): WatchHandle;
  close(): void;
}

export const CONNECT_TIMEOUT_MS = 4000;
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * A watch that stays silent this long is considered dead: longer than the server-side timeout the
 * watches ask for (at most 300 s, after which the server ends the stream), so a healthy quiet
 * watch never trips it, while a server that froze without closing the connection is noticed.
 */
const WATCH_IDLE_MS = 330_000;

function statusError(status: number, body: string): KubeError {
  try {
    const parsed = JSON.parse(body) as { message?: string; reason?: string };
    return new KubeError('http', parsed.message ?? `HTTP ${status}`, status, parsed.reason);
  } catch {
    return new KubeError('http', `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`, status);
  }
}

export class HttpKubeApi implements KubeApi {
  private agent: http.Agent | undefined;
  private agentKey = '';
  private readonly server: URL;
  private readonly proxied: boolean;

  /** `config` must have the wanted context as its current context (a private copy, never saved). */
  constructor(private readonly config: KubeConfig) {
    const cluster = config.getCurrentCluster();
    if (!cluster) throw new KubeError('protocol', `context ${config.getCurrentContext()} has no cluster`);
    this.server = new URL(cluster.server);
    this.proxied = Boolean(cluster.proxyUrl);
  }

  private async options(method: string, path: string, headers: Record<string, string>): Promise<https.RequestOptions> {
    const opts: https.RequestOptions = { method, headers: { Accept: 'application/json', ...headers } };
    await this.config.applyToHTTPSOptions(opts);
    // applyToHTTPSOptions also builds a fresh agent each call; keep one, rebuilt only when the TLS
    // material changes (exec plugins may rotate client certificates). Through a kubeconfig
    // proxy-url, the first proxy agent client-node built is the one kept.
    const key = [opts.ca, opts.cert, opts.key, opts.rejectUnauthorized, opts.servername].map(String).join('|');
    if (!this.agent || key !== this.agentKey) {
      this.agent?.destroy();
      const tls = { ca: opts.ca, cert: opts.cert, key: opts.key, rejectUnauthorized: opts.rejectUnauthorized, servername: opts.servername };
      if (this.proxied && opts.agent instanceof http.Agent) this.agent = opts.agent;
      else this.agent = this.server.protocol === 'http:' ? new http.Agent({ keepAlive: true }) : new https.Agent({ keepAlive: true, ...tls });
      this.agentKey = key;
    }
    const base = this.server.pathname.replace(/\/$/, '');
    return { ...opts, agent: this.agent, hostname: this.server.hostname, port: this.server.port, path: `${base}${path}` };
  }

  private send(opts: https.RequestOptions, body: string | undefined, onResponse: (res: http.IncomingMessage, req: http.ClientRequest) => void, onError: (e: KubeError) => void): http.ClientRequest {
    const lib = this.server.protocol === 'http:' ? http : https;
    const req = lib.request(opts, (res) => {
      clearTimeout(connectTimer);
      onResponse(res, req);
    });
    const connectTimer = setTimeout(() => {
      req.destroy(new KubeError('unreachable', `no response from ${this.server.host} within ${CONNECT_TIMEOUT_MS / 1000} s`));
    }, CONNECT_TIMEOUT_MS);
    req.on('error', (e) => {
      clearTimeout(connectTimer);
      onError(e instanceof KubeError ? e : new KubeError('unreachable', `${this.server.host}: ${e.message}`));
    });
    req.end(body);
    return req;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': options.contentType ?? 'application/json' };
    if (options.accept) headers['Accept'] = options.accept;
    const opts = await this.options(method, path, headers);
    return new Promise<T>((resolve, reject) => {
      const req = this.send(
        opts,
        body,
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', (e) => reject(new KubeError('unreachable', e.message)));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status < 200 || status >= 300) return reject(statusError(status, text));
            try {
              resolve((text ? JSON.parse(text) : undefined) as T);
            } catch {
              reject(new KubeError('protocol', `invalid JSON from ${path}`));
            }
          });
        },
        reject,
      );
      req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new KubeError('timeout', `${method} ${path} timed out`)));
    });
  }

  watch(path: string, onEvent: (event: WatchEvent) => void, onOpen?: () => void, accept?: string): WatchHandle {
    let req: http.ClientRequest | undefined;
    let aborted = false;
    const done = new Promise<void>((resolve, reject) => {
      this.options('GET', path, accept ? { Accept: accept } : {}).then((opts) => {
        if (aborted) return resolve();
        req = this.send(
          opts,
          undefined,
          (res) => {
            const status = res.statusCode ?? 0;
            if (status !== 200) {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () => reject(statusError(status, Buffer.concat(chunks).toString('utf8'))));
              return;
            }
            onOpen?.();
            let pending = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              pending += chunk;
              let newline: number;
              while ((newline = pending.indexOf('\n')) >= 0) {
                const line = pending.slice(0, newline).trim();
                pending = pending.slice(newline + 1);
                if (!line) continue;
                try {
                  onEvent(JSON.parse(line) as WatchEvent);
                } catch (e) {
                  req?.destroy(new KubeError('protocol', `bad watch event: ${(e as Error).message}`));
                }
              }
            });
            res.on('end', () => resolve());
            res.on('error', (e) => (aborted ? resolve() : reject(new KubeError('unreachable', e.message))));
            res.on('aborted', () => (aborted ? resolve() : reject(new KubeError('unreachable', 'watch connection lost'))));
          },
          (e) => (aborted ? resolve() : reject(e)),
        );
        req.setTimeout(WATCH_IDLE_MS, () => req?.destroy(new KubeError('timeout', 'watch went silent')));
      }, reject);
    });
    return {
      done,
      abort: () => {
        aborted = true;
        req?.destroy();
      },
    };
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}
