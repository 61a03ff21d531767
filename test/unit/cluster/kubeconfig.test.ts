import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { configForContext, contextsToShow, kubeconfigFiles, loadKubeConfig } from '../../../client/src/cluster/connection/kubeconfig';

function kubeconfig(current: string, entries: { context: string; cluster: string; server: string; user: string }[]): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    `current-context: ${current}`,
    'clusters:',
    ...entries.map((e) => `- name: ${e.cluster}\n  cluster:\n    server: ${e.server}`),
    'users:',
    ...entries.map((e) => `- name: ${e.user}\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: /bin/echo`),
    'contexts:',
    ...entries.map((e) => `- name: ${e.context}\n  context:\n    cluster: ${e.cluster}\n    user: ${e.user}\n    namespace: ns-${e.context}`),
    '',
  ].join('\n');
}

test('KUBECONFIG files merge: first wins for a name defined twice and for current-context', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  writeFileSync(a, kubeconfig('prod', [{ context: 'prod', cluster: 'prod', server: 'https://127.0.0.1:1', user: 'u1' }]));
  writeFileSync(b, kubeconfig('dev', [
    { context: 'dev', cluster: 'dev', server: 'https://127.0.0.1:2', user: 'u2' },
    { context: 'prod', cluster: 'prod', server: 'https://127.0.0.1:9', user: 'u9' },
  ]));
  const files = kubeconfigFiles({ KUBECONFIG: [a, join(dir, 'missing'), b].join(delimiter) }, '/nonexistent');
  assert.deepEqual(files, [a, b]);
  const loaded = loadKubeConfig(files)!;
  assert.equal(loaded.config.currentContext, 'prod');
  assert.deepEqual(loaded.config.getContexts().map((c) => c.name), ['prod', 'dev']);
  assert.equal(loaded.config.getCluster('prod')?.server, 'https://127.0.0.1:1');
  assert.equal(loaded.config.getUser('u2')?.exec?.command, '/bin/echo');
});

test('a context has its own config; choosing it changes neither the merged config nor the files', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  const text = kubeconfig('prod', [
    { context: 'prod', cluster: 'prod', server: 'https://127.0.0.1:1', user: 'u1' },
    { context: 'dev', cluster: 'dev', server: 'https://127.0.0.1:2', user: 'u2' },
  ]);
  writeFileSync(file, text);
  const before = statSync(file).mtimeMs;
  const loaded = loadKubeConfig([file])!;
  const dev = configForContext(loaded.config, 'dev');
  assert.equal(dev.getCurrentContext(), 'dev');
  assert.equal(dev.getCurrentCluster()?.server, 'https://127.0.0.1:2');
  assert.equal(dev.getContextObject('dev')?.namespace, 'ns-dev');
  assert.equal(loaded.config.getCurrentContext(), 'prod');
  assert.equal(readFileSync(file, 'utf8'), text);
  assert.equal(statSync(file).mtimeMs, before);
});

test('~/.kube/config is the fallback; nothing found is undefined', (t) => {
  const home = mkdtempSync(join(tmpdir(), 'home-'));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  assert.deepEqual(kubeconfigFiles({}, home), []);
  assert.equal(loadKubeConfig([]), undefined);
});

test('an invalid file is reported and the others still load', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'bad'), 'clusters: [: nope');
  writeFileSync(join(dir, 'good'), kubeconfig('x', [{ context: 'x', cluster: 'x', server: 'https://127.0.0.1:1', user: 'x' }]));
  const loaded = loadKubeConfig([join(dir, 'bad'), join(dir, 'good')])!;
  assert.equal(loaded.errors.length, 1);
  assert.match(loaded.errors[0]!, /bad/);
  assert.deepEqual(loaded.config.getContexts().map((c) => c.name), ['x']);
});

test('the error for an invalid file says where, without quoting its credentials', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'config');
  writeFileSync(file, 'apiVersion: v1\nkind: Config\nusers:\n- name: u\n  user:\n    token: TOKEN-1234\n    password: "hunter2\n  x: [\ncontexts: []\n');
  const [error] = loadKubeConfig([file])!.errors;
  assert.match(error!, /^.*config: .*\(\d+:\d+\)$/);
  assert.doesNotMatch(error!, /TOKEN-1234|hunter2/);
});

test('contexts to show: configured ones that exist, * for all, else the current one', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kc-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'c'), kubeconfig('b', ['a', 'b', 'c'].map((n) => ({ context: n, cluster: n, server: 'https://127.0.0.1:1', user: n }))));
  const config = loadKubeConfig([join(dir, 'c')])!.config;
  assert.deepEqual(contextsToShow(config, []), ['b']);
  assert.deepEqual(contextsToShow(config, ['c', 'zz']), ['c']);
  assert.deepEqual(contextsToShow(config, ['*']), ['a', 'b', 'c']);
});
