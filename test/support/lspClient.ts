// A small LSP client over stdio for tests and benchmarks: it spawns a server, frames JSON-RPC with
// Content-Length headers, answers the server's own requests (configuration, registration) and records
// every publishDiagnostics with its arrival time, so a caller can wait for the diagnostics of one
// change without racing the server.
//
//   const client = LspClient.spawn(process.execPath, ['dist/cli.js', 'lsp', '--stdio']);
//   await client.initialize(rootUri);
//   const version = client.open(uri, text);
//   const diagnostics = await client.diagnostics(uri, version);
//   client.change(uri, [{ range, text: 'x' }]);            // incremental, returns the new version
//   const items = await client.completion(uri, { line: 3, character: 4 });
//   await client.shutdown();
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type {
  CodeAction,
  Command,
  CompletionItem,
  CompletionList,
  Diagnostic,
  Hover,
  Position,
  Range,
  TextDocumentContentChangeEvent,
} from 'vscode-languageserver';

/** One publishDiagnostics notification as received. */
export interface Publication {
  uri: string;
  /** The document version the server says it validated, when it says so. */
  version: number | undefined;
  diagnostics: Diagnostic[];
  /** performance.now() when the message was read. */
  receivedAt: number;
  /** Order of arrival, counted over all notifications of this client. */
  seq: number;
}

export interface SpawnOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Answers `workspace/configuration`: the value of each requested section. */
  configuration?: (section: string | undefined) => unknown;
  /** Rejects any wait (diagnostics, request) that takes longer; a hang check, not a speed assertion. */
  timeoutMs?: number;
}

type Handler = (params: unknown) => unknown;
interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  method: string;
}
interface DiagnosticsWaiter {
  uri: string;
  version: number;
  afterSeq: number;
  resolve: (publication: Publication) => void;
}

export class LspClient {
  readonly publications: Publication[] = [];
  /** Everything the server wrote to stderr, for failure messages. */
  stderr = '';
  private nextId = 1;
  private seq = 0;
  private buffer = Buffer.alloc(0);
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, Handler>();
  private readonly versions = new Map<string, number>();
  /** Per URI, the arrival counter when its latest didOpen/didChange was sent. */
  private readonly sentAtSeq = new Map<string, number>();
  private waiters: DiagnosticsWaiter[] = [];
  private exited: Error | undefined;

  private constructor(
    readonly process: ChildProcess,
    private readonly timeoutMs: number,
  ) {}

  static spawn(command: string, args: string[], options: SpawnOptions = {}): LspClient {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const client = new LspClient(child, options.timeoutMs ?? 120_000);
    child.stdout!.on('data', (chunk: Buffer) => client.read(chunk));
    child.stderr!.on('data', (chunk: Buffer) => {
      client.stderr += chunk.toString();
    });
    child.on('exit', (code, signal) => client.fail(new Error(`server exited (code ${code}, signal ${signal})`)));
    child.on('error', (error) => client.fail(error));
    const configuration = options.configuration ?? (() => null);
    client.onRequest('workspace/configuration', (params) =>
      ((params as { items: { section?: string }[] }).items ?? []).map((item) => configuration(item.section)),
    );
    client.onRequest('client/registerCapability', () => null);
    client.onRequest('client/unregisterCapability', () => null);
    client.onRequest('window/workDoneProgress/create', () => null);
    return client;
  }

  get pid(): number {
    return this.process.pid!;
  }

  /** Handles a request or notification sent by the server (the result is sent back for requests). */
  onRequest(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  request<R>(method: string, params: unknown): Promise<R> {
    if (this.exited) return Promise.reject(this.exited);
    const id = this.nextId++;
    const answer = new Promise<R>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject, method });
    });
    this.write({ jsonrpc: '2.0', id, method, params });
    return this.withTimeout(answer, `${method} request`);
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  async initialize(rootUri: string | null, initializationOptions?: unknown): Promise<unknown> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: rootUri ? [{ uri: rootUri, name: 'root' }] : null,
      initializationOptions,
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { versionSupport: true, relatedInformation: true },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
      },
    });
    this.notify('initialized', {});
    return result;
  }

  /** Opens a document; returns its version (1). */
  open(uri: string, text: string, languageId = 'yaml'): number {
    this.versions.set(uri, 1);
    this.markSent(uri);
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    return 1;
  }

  /** Sends incremental changes (ranges in the text before this change); returns the new version. */
  change(uri: string, changes: TextDocumentContentChangeEvent[]): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    this.markSent(uri);
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
    return version;
  }

  /**
   * Sends every message `send` writes in one write to the server's stdin, so they arrive together (a burst
   * already queued when the server reads); without it, a loaded machine may let the server see the first
   * message on its own.
   */
  burst<T>(send: () => T): T {
    const stdin = this.process.stdin!;
    stdin.cork();
    try {
      return send();
    } finally {
      stdin.uncork();
    }
  }

  close(uri: string): void {
    this.versions.delete(uri);
    this.notify('textDocument/didClose', { textDocument: { uri } });
  }

  /**
   * The first diagnostics published for `uri` at `version`. A server that omits the version is taken
   * at its first publication for `uri` after the latest didOpen/didChange of it was sent.
   */
  diagnostics(uri: string, version: number): Promise<Publication> {
    const afterSeq = this.sentAtSeq.get(uri) ?? 0;
    const found = this.publications.find((p) => matches(p, uri, version, afterSeq));
    if (found) return Promise.resolve(found);
    const waited = new Promise<Publication>((resolve) => this.waiters.push({ uri, version, afterSeq, resolve }));
    return this.withTimeout(waited, `diagnostics for ${uri} v${version}`);
  }

  async completion(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await this.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri },
      position,
    });
    if (!result) return [];
    return Array.isArray(result) ? result : result.items;
  }

  hover(uri: string, position: Position): Promise<Hover | null> {
    return this.request('textDocument/hover', { textDocument: { uri }, position });
  }

  codeAction(uri: string, range: Range, diagnostics: Diagnostic[]): Promise<(CodeAction | Command)[] | null> {
    return this.request('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics } });
  }

  /** Polite shutdown; kills the process if it does not exit within a few seconds. */
  async shutdown(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } catch {
      // The server is already gone or stuck: the kill below settles it.
    }
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private markSent(uri: string): void {
    this.sentAtSeq.set(uri, this.seq);
  }

  private write(message: unknown): void {
    if (this.exited) return;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin!.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.process.stdin!.write(body);
  }

  private read(chunk: Buffer): void {
    const receivedAt = performance.now();
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = /Content-Length: *(\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('ascii'));
      if (!length) throw new Error(`bad LSP header: ${this.buffer.subarray(0, headerEnd).toString()}`);
      const start = headerEnd + 4;
      const end = start + Number(length[1]);
      if (this.buffer.length < end) return;
      const message = JSON.parse(this.buffer.subarray(start, end).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(end);
      this.dispatch(message, receivedAt);
    }
  }

  private dispatch(message: Message, receivedAt: number): void {
    if (message.method === undefined) {
      const pending = this.pending.get(message.id as number);
      if (!pending) return;
      this.pending.delete(message.id as number);
      if (message.error) pending.reject(new Error(`${pending.method}: ${message.error.message}`));
      else pending.resolve(message.result);
      return;
    }
    if (message.method === 'textDocument/publishDiagnostics') {
      this.record(message.params as { uri: string; version?: number; diagnostics: Diagnostic[] }, receivedAt);
    }
    const handler = this.handlers.get(message.method);
    if (message.id === undefined) {
      handler?.(message.params);
      return;
    }
    let result: unknown = null;
    try {
      result = handler ? handler(message.params) : null;
    } catch (error) {
      this.write({ jsonrpc: '2.0', id: message.id, error: { code: -32603, message: String(error) } });
      return;
    }
    this.write({ jsonrpc: '2.0', id: message.id, result: result ?? null });
  }

  private record(params: { uri: string; version?: number; diagnostics: Diagnostic[] }, receivedAt: number): void {
    const publication: Publication = {
      uri: params.uri,
      version: params.version,
      diagnostics: params.diagnostics,
      receivedAt,
      seq: ++this.seq,
    };
    this.publications.push(publication);
    const ready = this.waiters.filter((w) => matches(publication, w.uri, w.version, w.afterSeq));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const waiter of ready) waiter.resolve(publication);
  }

  private fail(error: Error): void {
    this.exited ??= error;
    for (const pending of this.pending.values()) pending.reject(new Error(`${pending.method}: ${error.message}`));
    this.pending.clear();
  }

  private withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`timed out after ${this.timeoutMs} ms waiting for ${what}\n${this.stderr.slice(-2000)}`)),
        this.timeoutMs,
      );
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
  }
}

interface Message {
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { message: string };
}

function matches(p: Publication, uri: string, version: number, afterSeq: number): boolean {
  if (p.uri !== uri) return false;
  return p.version === undefined ? p.seq > afterSeq : p.version === version;
}

/** Reads the resident set size of a live process, in KiB, from /proc (Linux). */
export async function residentKiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}
