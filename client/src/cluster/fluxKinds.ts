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

export const FLUX_KINDS: readonly FluxKindInfo[] = [
  { group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', category: 'sources' },
  { group: 'source.toolkit.fluxcd.io', kind: 'OCIRepository', category: 'sources' },
  { group: 'source.toolkit.fluxcd.io', kind: 'HelmRepository', category: 'sources' },
  { group: 'source.toolkit.fluxcd.io', kind: 'HelmChart', category: 'sources' },
  { group: 'source.toolkit.fluxcd.io', kind: 'Bucket', category: 'sources' },
  { group: 'source.toolkit.fluxcd.io', kind: 'ExternalArtifact', category: 'sources' },
  { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator', category: 'sources' },
  { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', category: 'kustomizations' },
  { group: 'helm.toolkit.fluxcd.io', kind: 'HelmRelease', category: 'helm' },
  { group: 'image.toolkit.fluxcd.io', kind: 'ImageRepository', category: 'image' },
  { group: 'image.toolkit.fluxcd.io', kind: 'ImagePolicy', category: 'image' },
  { group: 'image.toolkit.fluxcd.io', kind: 'ImageUpdateAutomation', category: 'image' },
  { group: 'notification.toolkit.fluxcd.io', kind: 'Alert', category: 'notifications', statusless: true },
  { group: 'notification.toolkit.fluxcd.io', kind: 'Provider', category: 'notifications', statusless: true },
  { group: 'notification.toolkit.fluxcd.io', kind: 'Receiver', category: 'notifications' },
];

export const FLUX_GROUPS: ReadonlySet<string> = new Set(FLUX_KINDS.map((k) => k.group));

export function fluxKindInfo(group: string, kind: string): FluxKindInfo | undefined {
  return FLUX_KINDS.find((k) => k.group === group && k.kind === kind);
}

export function isFluxKind(kind: string): boolean {
  return FLUX_KINDS.some((k) => k.kind === kind);
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
