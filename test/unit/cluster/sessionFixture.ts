import { ContextSession } from '../../../client/src/cluster/connection/contextSession';
import type { KubeObject } from '../../../client/src/cluster/connection/objects';
import { FakeApi, settle } from './fakeApi';
import { FakeClock } from './fakeClock';

const PLURALS: Record<string, string> = {
  GitRepository: 'gitrepositories',
  HelmRepository: 'helmrepositories',
  HelmChart: 'helmcharts',
  Kustomization: 'kustomizations',
  HelmRelease: 'helmreleases',
  ImageRepository: 'imagerepositories',
  ImagePolicy: 'imagepolicies',
  Alert: 'alerts',
  Provider: 'providers',
};

/** A fake API serving these objects (Flux 2.9 versions), plus extra paths. */
export function apiServing(objects: KubeObject[], extra: Record<string, unknown> = {}): FakeApi {
  const groups = new Map<string, string>();
  for (const o of objects) {
    const [group, version] = o.apiVersion.split('/') as [string, string];
    groups.set(group, version);
  }
  return new FakeApi((_m, path) => {
    if (path in extra) return extra[path];
    if (path === '/apis') return { groups: [...groups].map(([name, version]) => ({ name, preferredVersion: { version } })) };
    for (const [group, version] of groups) {
      if (path === `/apis/${group}/${version}`) {
        const kinds = new Set(objects.filter((o) => o.apiVersion === `${group}/${version}`).map((o) => o.kind));
        return { resources: [...kinds].map((kind) => ({ name: PLURALS[kind], kind, namespaced: true, verbs: ['list', 'watch'] })) };
      }
    }
    const plural = /\/([a-z]+)\?limit=/.exec(path)?.[1];
    const items = objects.filter((o) => PLURALS[o.kind] === plural && path.startsWith(`/apis/${o.apiVersion}/`));
    return { metadata: { resourceVersion: '1' }, items };
  });
}

/** A synced session over a fake API serving these objects (Flux 2.9 versions), plus extra paths. */
export async function sessionWith(objects: KubeObject[], extra: Record<string, unknown> = {}): Promise<{ session: ContextSession; api: FakeApi }> {
  const api = apiServing(objects, extra);
  const session = new ContextSession('test', api, new FakeClock(), { namespaces: [] });
  session.start();
  for (let i = 0; i < 5; i++) await settle();
  return { session, api };
}

export function flux(kind: string, apiVersion: string, namespace: string, name: string, rest: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace, generation: 1, creationTimestamp: '2026-11-21T00:00:00Z' }, ...rest };
}
