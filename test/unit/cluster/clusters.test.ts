import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clusters } from '../../../client/src/cluster/connection/clusters';
import { HttpKubeApi } from '../../../client/src/cluster/connection/transport';
import { FakeApi } from './fakeApi';
import { FakeClock } from './fakeClock';

function write(dir: string, text: string): string {
  const file = join(dir, 'config');
  writeFileSync(file, text);
  return file;
}

test('no kubeconfig, and a kubeconfig without contexts', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'clusters-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const clusters = new Clusters(new FakeClock(), () => new FakeApi(() => new Error('unused')));
  const states: string[] = [];
  clusters.changed.on(() => states.push(clusters.state.kind));
  clusters.load([], { contexts: [], namespaces: [] });
  clusters.load([write(dir, 'apiVersion: v1\nkind: Config\n')], { contexts: [], namespaces: [] });
  assert.deepEqual(states, ['noKubeconfig', 'noKubeconfig']);
});

test('a context whose cluster is missing is reported; the other contexts still connect', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'clusters-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = write(
    dir,
    'apiVersion: v1\nkind: Config\ncurrent-context: good\nclusters:\n- name: c\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: good\n  context: {cluster: c, user: u}\n- name: broken\n  context: {cluster: nowhere, user: u}\n',
  );
  const clusters = new Clusters(new FakeClock(), (config) => new HttpKubeApi(config));
  clusters.load([file], { contexts: ['*'], namespaces: [] });
  assert.deepEqual(clusters.sessions.map((s) => s.context), ['good']);
  assert.equal(clusters.state.kind, 'loaded');
  assert.match(clusters.state.kind === 'loaded' ? clusters.state.errors.join() : '', /context broken: context broken has no cluster/);
  clusters.load([file], { contexts: ['broken'], namespaces: [] });
  assert.deepEqual(clusters.state, { kind: 'invalid', message: 'context broken: context broken has no cluster' });
  clusters.dispose();
});
