// Smart-HTTP Git server for the local control plane: `git http-backend` (CGI) behind a Node HTTP server.
// Serves every bare repository under --root at http://127.0.0.1:<port>/<name>.git, fetch and push,
// without authentication (loopback only). Run: node --import tsx test/cluster/git-server.ts --root DIR --port N
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { root: { type: 'string' }, port: { type: 'string' }, host: { type: 'string', default: '127.0.0.1' } },
});
if (!values.root || !values.port) {
  console.error('usage: git-server.ts --root DIR --port N');
  process.exit(2);
}
const root = values.root;

/** CGI environment for one request (RFC 3875 meta-variables plus git's own). */
function cgiEnv(req: IncomingMessage, url: URL): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    // http-backend enables receive-pack (push) only for an authenticated user.
    REMOTE_USER: 'flux-gitops-tests',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    GATEWAY_INTERFACE: 'CGI/1.1',
    SERVER_PROTOCOL: 'HTTP/1.1',
  };
  if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string') env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  }
  return env;
}

/** Splits the CGI response head from its body and forwards both. */
function relay(child: ReturnType<typeof spawn>, res: ServerResponse): void {
  let head = Buffer.alloc(0);
  let headDone = false;
  child.stdout?.on('data', (chunk: Buffer) => {
    if (headDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    headDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  child.stdout?.on('end', () => {
    if (!headDone) res.writeHead(502).end('git http-backend sent no response head\n');
    else res.end();
  });
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const child = spawn('git', ['http-backend'], { env: cgiEnv(req, url), stdio: ['pipe', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[git http-backend] ${chunk.toString()}`));
  child.on('error', (err) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(`cannot run git http-backend: ${err.message}\n`);
  });
  req.pipe(child.stdin!);
  relay(child, res);
});

server.listen(Number(values.port), values.host, () => {
  console.log(`git server on http://${values.host}:${values.port}/ serving ${root}`);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => server.close(() => process.exit(0)));
