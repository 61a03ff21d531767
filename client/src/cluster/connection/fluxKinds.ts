import {
  FLUX_GROUPS,
  FLUX_KINDS as KNOWN_KINDS,
  HELM_GROUP,
  IMAGE_GROUP,
  KUSTOMIZE_GROUP,
  NOTIFICATION_GROUP,
  SOURCE_EXTENSIONS_GROUP,
  SOURCE_GROUP,
} from '../../../../server/src/schema/fluxKnowledge';

/**
 * The Flux kinds the tree shows and the category each belongs to. Versions and plurals are not
 * listed here: they are discovered from the API server, so the tree follows the Flux version installed.
 */
export type FluxCategory = 'sources' | 'kustomizations' | 'helm' | 'image' | 'notifications';

export const CATEGORY_ORDER: readonly FluxCategory[] = ['sources', 'kustomizations', 'helm', 'image', 'notifications'];

export const CATEGORY_LABELS: Readonly<Record<FluxCategory, string>> = {
  sources: 'Sources',
  kustomizations: 'Kustomizations',
  helm: 'Helm releases',
  image: 'Image automation',
  notifications: 'Notifications',
};

export interface FluxKindInfo {
  readonly group: string;
  readonly kind: string;
  readonly category: FluxCategory;
  /** Kinds whose objects carry no status at all (notification v1beta3 Alert and Provider). */
  readonly statusless?: boolean;
}

const CATEGORY_BY_GROUP: Readonly<Record<string, FluxCategory>> = {
  [SOURCE_GROUP]: 'sources',
  [SOURCE_EXTENSIONS_GROUP]: 'sources',
  [KUSTOMIZE_GROUP]: 'kustomizations',
  [HELM_GROUP]: 'helm',
  [IMAGE_GROUP]: 'image',
  [NOTIFICATION_GROUP]: 'notifications',
};
const STATUSLESS = new Set(['Alert', 'Provider']);

/** The server's table of Flux kinds (one source of truth), with the tree's category for each. */
export const FLUX_KINDS: readonly FluxKindInfo[] = KNOWN_KINDS.map((k) => ({
  group: k.group,
  kind: k.kind,
  category: CATEGORY_BY_GROUP[k.group] ?? 'sources',
  ...(k.group === NOTIFICATION_GROUP && STATUSLESS.has(k.kind) ? { statusless: true } : {}),
}));

export { FLUX_GROUPS };

const BY_GROUP_KIND = new Map(FLUX_KINDS.map((k) => [`${k.group}/${k.kind}`, k]));

export function fluxKindInfo(group: string, kind: string): FluxKindInfo | undefined {
  return BY_GROUP_KIND.get(`${group}/${kind}`);
}

/** Kinds that support reconcile/suspend/resume (everything with a reconcile loop and spec.suspend). */
export function isReconcilable(group: string, kind: string): boolean {
  const info = fluxKindInfo(group, kind);
  return info !== undefined && !info.statusless;
}

/** The group of an apiVersion ("source.toolkit.fluxcd.io/v1" → "source.toolkit.fluxcd.io", "v1" → ""). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}
