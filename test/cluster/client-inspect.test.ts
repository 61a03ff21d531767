// What the extension shows about real objects: events from the real controllers, live YAML with a
// real Secret's values masked, the cluster's CRDs for live schemas, and "is my commit live" for a
// local clone of the repository the GitRepository fetches.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reconcile } from '../../client/src/cluster/model/actions';
import { systemClock } from '../../client/src/cluster/connection/clock';
import { kustomizationLiveness, sourceLiveness, sourceMatchesRepo } from '../../client/src/cluster/model/commitLive';
import type { Clusters } from '../../client/src/cluster/connection/clusters';
import type { ContextSession } from '../../client/src/cluster/connection/contextSession';
import { liveCrds, resolveResource } from '../../client/src/cluster/connection/discovery';
import { eventsFor } from '../../client/src/cluster/model/events';
import { readGitHead } from '../../client/src/cluster/model/gitHead';
import { liveYaml } from '../../client/src/cluster/model/liveYaml';
import type { KubeObject } from '../../client/src/cluster/connection/objects';
import { resourcePath } from '../../client/src/cluster/connection/resourceWatch';
import { configMapFile, get, readyFleet } from './clientSupport';
import type { ClusterEnv } from './env';

let env: ClusterEnv;
let clusters: Clusters;
let session: ContextSession;
let clone: string;

before(async () => {
  ({ env, clusters, session } = await readyFleet('client-inspect'));
  clone = mkdtempSync(join(tmpdir(), 'client-inspect-clone-'));
});
after(async () => {
  clusters?.dispose();
  if (clone) rmSync(clone, { recursive: true, force: true });
  await env?.dispose();
});

test('events recorded by the real kustomize-controller', async () => {
  const events = await eventsFor(session.api, 'Kustomization', env.namespace, 'app');
  assert.ok(events.length > 0, 'the controller recorded events');
  assert.ok(events.every((e) => e.involvedObject?.name === 'app' && e.involvedObject.kind === 'Kustomization'));
  assert.ok(
    events.some((e) => e.reason === 'Progressing' && e.message === `ConfigMap/${env.namespace}/smoke created`),
    events.map((e) => `${e.reason}: ${e.message}`).join('\n'),
  );
});

test('live YAML of a real Secret shows keys, never values', async () => {
  await env.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds' }, stringData: { password: 'hunter2-live' } } as never);
  const type = await resolveResource(session.api, 'v1', 'Secret');
  assert.equal(type?.plural, 'secrets');
  const secret = await session.api.request<KubeObject>('GET', resourcePath(type!, env.namespace, 'creds'));
  const text = liveYaml(secret);
  assert.match(text, /password: "\*\*\* \(masked\)"/);
  assert.doesNotMatch(text, /hunter2|aHVudGVyMi1saXZl|managedFields/);
});

test('the cluster CRDs sent as live schemas include the served Flux kinds', async () => {
  const crds = (await liveCrds(session.api)) as { spec?: { group?: string; names?: { kind?: string } } }[];
  const kinds = crds.filter((c) => c.spec?.group?.endsWith('.fluxcd.io')).map((c) => c.spec?.names?.kind);
  assert.ok(kinds.includes('Kustomization') && kinds.includes('GitRepository'), kinds.join(', '));
});

test('is my commit live: a local clone against the GitRepository and Kustomization', async () => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', '-C', clone, ...args], { encoding: 'utf8' }).trim();
  execFileSync('git', ['clone', '--quiet', env.repoUrl, clone]);
  let head = (await readGitHead(clone))!;
  assert.equal(head.commit, env.head!.sha);
  const repo = () => get(session, 'GitRepository', env.namespace, 'fleet')!;
  const ks = () => get(session, 'Kustomization', env.namespace, 'app')!;
  assert.equal(sourceMatchesRepo(repo(), head), true);
  assert.equal(sourceLiveness(repo(), head).state, 'live');
  assert.equal(kustomizationLiveness(ks(), head).state, 'live');

  writeFileSync(join(clone, 'app', 'configmap.yaml'), configMapFile('local')['app/configmap.yaml']!);
  git('commit', '--quiet', '-am', 'local commit');
  git('push', '--quiet', 'origin', 'main');
  head = (await readGitHead(clone))!;
  assert.equal(kustomizationLiveness(ks(), head).state, 'behind', 'pushed but not reconciled yet');
  const outcome = await reconcile(session, ks(), 'plain', true, { clock: systemClock, timeoutMs: 120_000 });
  assert.equal(outcome.result, 'ready', outcome.message);
  assert.equal(sourceLiveness(repo(), head).state, 'live');
  assert.equal(kustomizationLiveness(ks(), head).state, 'live');
});
