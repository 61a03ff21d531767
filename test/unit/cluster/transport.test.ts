import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { HttpKubeApi, KubeError, type WatchEvent } from '../../../client/src/cluster/connection/transport';

/** A plain-HTTP endpoint on 127.0.0.1 (kubeconfig with insecure-skip-tls-verify) answering with `handler`. */
async function endpoint(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen: { method?: string; url?: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return { api: new HttpKubeApi(kc), seen, close: () => server.close() };
}

test('requests carry the token, the server path prefix, and the merge-patch content type', async (t) => {
  const { api, seen, close } = await endpoint((_req, res) => res.end('{"ok":true}'));
  t.after(() => (api.close(), close()));
  assert.deepEqual(await api.request('PATCH', '/apis/g/v1/things/a', { body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json' }), { ok: true });
  assert.equal(seen[0]!.url, '/prefix/apis/g/v1/things/a');
  assert.equal(seen[0]!.headers['authorization'], 'Bearer secret-token');
  assert.equal(seen[0]!.headers['content-type'], 'application/merge-patch+json');
  assert.equal(seen[0]!.body, '{"spec":{"suspend":true}}');
});

test('API errors become KubeErrors with the Status message, code and reason', async (t) => {
  const { api, close } = await endpoint((_req, res) => {
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', code: 403, reason: 'Forbidden', message: 'kustomizations is forbidden' }));
  });
  t.after(() => (api.close(), close()));
  await assert.rejects(api.request('GET', '/x'), (e: unknown) => e instanceof KubeError && e.forbidden && e.reason === 'Forbidden' && e.message === 'kustomizations is forbidden');
});

test('a watch stream split at odd places still yields whole events; the end resolves', async (t) => {
  const events = [
    { type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '1' } } },
    { type: 'MODIFIED', object: { metadata: { name: 'a', resourceVersion: '2' } } },
    { type: 'BOOKMARK', object: { metadata: { resourceVersion: '3' } } },
  ];
  const text = events.map((e) => JSON.stringify(e)).join('\n') + '\n';
  const { api, close } = await endpoint((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let i = 0;
    const next = () => {
      if (i >= text.length) return res.end();
      res.write(text.slice(i, i + 7));
      i += 7;
      setImmediate(next);
    };
    next();
  });
  t.after(() => (api.close(), close()));
  const got: WatchEvent[] = [];
  let opened = false;
  await api.watch('/w?watch=1', (e) => got.push(e), () => (opened = true)).done;
  assert.equal(opened, true);
  assert.deepEqual(got, events);
});

test('a watch answered with 410 rejects with a gone error', async (t) => {
  const { api, close } = await endpoint((_req, res) => {
    res.writeHead(410);
    res.end(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version' }));
  });
  t.after(() => (api.close(), close()));
  await assert.rejects(api.watch('/w?watch=1', () => undefined).done, (e: unknown) => e instanceof KubeError && e.gone);
});

test('a refused connection is an unreachable error, not a hang', async () => {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: [{ name: 'c', server: 'http://127.0.0.1:1', skipTLSVerify: true }], users: [{ name: 'u' }], contexts: [{ name: 'x', cluster: 'c', user: 'u' }], currentContext: 'x' });
  const api = new HttpKubeApi(kc);
  await assert.rejects(api.request('GET', '/apis'), (e: unknown) => e instanceof KubeError && e.kind === 'unreachable' && /ECONNREFUSED/.test(e.message));
  api.close();
});

test('a kubeconfig proxy-url is honoured', async (t) => {
  const { api: direct, seen, close } = await endpoint((_req, res) => res.end('{"via":"target"}'));
  const target = new URL((direct as unknown as { server: URL }).server.href);
  direct.close();
  // A tunnelling proxy (HTTP CONNECT), as client-node's proxy agents use.
  const proxied: string[] = [];
  const proxy = createServer();
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    proxied.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':') as [string, string];
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  t.after(() => (proxy.close(), close()));
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: target.href, skipTLSVerify: true, proxyUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const api = new HttpKubeApi(kc);
  t.after(() => api.close());
  assert.deepEqual(await api.request('GET', '/apis'), { via: 'target' });
  assert.deepEqual(await api.request('GET', '/api'), { via: 'target' });
  assert.deepEqual(proxied, [target.host, target.host], 'each request tunnelled through the proxy');
  assert.equal(seen.length, 2);
});
