/**
 * Which Flux kinds the cluster serves, at which version: the API groups list gives each Flux
 * group's preferred version, and that version's resource list gives plurals and scope.
 */
import { FLUX_GROUPS, fluxKindInfo } from './fluxKinds';
import type { ResourceType } from './resourceWatch';
import type { KubeApi } from './transport';

interface APIGroupList {
  groups?: { name: string; preferredVersion?: { version: string }; versions?: { version: string }[] }[];
}

interface APIResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

export async function discoverFluxTypes(api: KubeApi): Promise<ResourceType[]> {
  const groups = await api.request<APIGroupList>('GET', '/apis');
  const flux = (groups.groups ?? []).filter((g) => FLUX_GROUPS.has(g.name));
  const lists = await Promise.all(
    flux.map(async (g) => {
      const version = g.preferredVersion?.version ?? g.versions?.[0]?.version;
      if (!version) return [];
      const list = await api.request<APIResourceList>('GET', `/apis/${g.name}/${version}`);
      return (list.resources ?? [])
        .filter((r) => !r.name.includes('/') && fluxKindInfo(g.name, r.kind) && (r.verbs ?? ['list', 'watch']).includes('watch'))
        .map((r) => ({ group: g.name, version, kind: r.kind, plural: r.name, namespaced: r.namespaced }));
    }),
  );
  return lists.flat();
}

const resourceLists = new WeakMap<KubeApi, Map<string, Promise<APIResourceList>>>();

/** The resource type of any apiVersion and kind (to read an inventory entry), from discovery, cached per cluster. */
export async function resolveResource(api: KubeApi, apiVersion: string, kind: string): Promise<ResourceType | undefined> {
  let cache = resourceLists.get(api);
  if (!cache) resourceLists.set(api, (cache = new Map()));
  let list = cache.get(apiVersion);
  if (!list) {
    list = api.request<APIResourceList>('GET', apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`);
    cache.set(apiVersion, list);
    list.catch(() => cache.delete(apiVersion));
  }
  const resource = (await list).resources?.find((r) => r.kind === kind && !r.name.includes('/'));
  if (!resource) return undefined;
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return { group, version, kind, plural: resource.name, namespaced: resource.namespaced };
}

/** Every CustomResourceDefinition the cluster serves, for the language server's live schemas. */
export async function liveCrds(api: KubeApi): Promise<unknown[]> {
  const list = await api.request<{ items?: unknown[] }>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions');
  return list.items ?? [];
}
