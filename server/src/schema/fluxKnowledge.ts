/**
 * What the server knows about Flux without any CRD: its kinds, their API groups, which versions
 * each Flux release serves (storage, deprecated), and which fields reference other objects.
 * Checked against the real CRDs of Flux 2.3, 2.6 and 2.9 by test/unit/server/fluxKnowledge.test.ts.
 */

export const FLUX_RELEASES = ['2.3', '2.6', '2.7', '2.9'] as const;
export type FluxRelease = (typeof FLUX_RELEASES)[number];
export const LATEST_FLUX_RELEASE: FluxRelease = '2.9';

export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';
export const SOURCE_EXTENSIONS_GROUP = 'source.extensions.fluxcd.io';
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const NOTIFICATION_GROUP = 'notification.toolkit.fluxcd.io';
export const IMAGE_GROUP = 'image.toolkit.fluxcd.io';

export interface FluxVersion {
  readonly name: string;
  readonly storage: boolean;
  readonly deprecated: boolean;
}

export interface FluxKind {
  readonly group: string;
  readonly kind: string;
  /** Versions served by each release; absent when the release does not have the kind. */
  readonly releases: Partial<Record<FluxRelease, readonly FluxVersion[]>>;
}

/** "v1 v1beta2d v1beta1d": the first is the storage version, a trailing `d` marks deprecation. */
function versions(spec: string): FluxVersion[] {
  return spec.split(' ').map((token, i) => {
    const deprecated = token.endsWith('d');
    return { name: deprecated ? token.slice(0, -1) : token, storage: i === 0, deprecated };
  });
}

const V1_TRIPLE = { '2.3': versions('v1 v1beta2d v1beta1d'), '2.6': versions('v1 v1beta2d v1beta1d'), '2.7': versions('v1 v1beta2d'), '2.9': versions('v1') };
const NOTIFICATION_BETA = { '2.3': versions('v1beta3 v1beta2d v1beta1d'), '2.6': versions('v1beta3 v1beta2d v1beta1d'), '2.7': versions('v1beta3 v1beta2d'), '2.9': versions('v1beta3') };
const IMAGE_SCAN = { '2.3': versions('v1beta2 v1beta1'), '2.6': versions('v1beta2 v1beta1'), '2.7': versions('v1 v1beta2d'), '2.9': versions('v1') };

export const FLUX_KINDS: readonly FluxKind[] = [
  { group: SOURCE_GROUP, kind: 'GitRepository', releases: V1_TRIPLE },
  { group: SOURCE_GROUP, kind: 'HelmRepository', releases: V1_TRIPLE },
  { group: SOURCE_GROUP, kind: 'HelmChart', releases: V1_TRIPLE },
  {
    group: SOURCE_GROUP,
    kind: 'Bucket',
    releases: { '2.3': versions('v1beta2 v1beta1d'), '2.6': versions('v1 v1beta2d v1beta1d'), '2.7': versions('v1 v1beta2d'), '2.9': versions('v1') },
  },
  {
    group: SOURCE_GROUP,
    kind: 'OCIRepository',
    releases: { '2.3': versions('v1beta2'), '2.6': versions('v1 v1beta2d'), '2.7': versions('v1 v1beta2d'), '2.9': versions('v1') },
  },
  { group: SOURCE_GROUP, kind: 'ExternalArtifact', releases: { '2.7': versions('v1'), '2.9': versions('v1') } },
  { group: SOURCE_EXTENSIONS_GROUP, kind: 'ArtifactGenerator', releases: { '2.7': versions('v1beta1'), '2.9': versions('v1beta1') } },
  { group: KUSTOMIZE_GROUP, kind: 'Kustomization', releases: V1_TRIPLE },
  {
    group: HELM_GROUP,
    kind: 'HelmRelease',
    releases: { '2.3': versions('v2 v2beta2d v2beta1d'), '2.6': versions('v2 v2beta2d v2beta1d'), '2.7': versions('v2 v2beta2d'), '2.9': versions('v2') },
  },
  { group: NOTIFICATION_GROUP, kind: 'Alert', releases: NOTIFICATION_BETA },
  { group: NOTIFICATION_GROUP, kind: 'Provider', releases: NOTIFICATION_BETA },
  { group: NOTIFICATION_GROUP, kind: 'Receiver', releases: V1_TRIPLE },
  { group: IMAGE_GROUP, kind: 'ImageRepository', releases: IMAGE_SCAN },
  { group: IMAGE_GROUP, kind: 'ImagePolicy', releases: IMAGE_SCAN },
  {
    group: IMAGE_GROUP,
    kind: 'ImageUpdateAutomation',
    releases: { '2.3': versions('v1beta2 v1beta1d'), '2.6': versions('v1beta2 v1beta1d'), '2.7': versions('v1 v1beta2d'), '2.9': versions('v1') },
  },
];

export const FLUX_GROUPS: ReadonlySet<string> = new Set(FLUX_KINDS.map((k) => k.group));

export function fluxKind(group: string, kind: string): FluxKind | undefined {
  return FLUX_KINDS.find((k) => k.group === group && k.kind === kind);
}

/** Flux kinds with that name in any group (to suggest the right group for a misplaced kind). */
export function fluxKindsNamed(kind: string): FluxKind[] {
  return FLUX_KINDS.filter((k) => k.kind === kind);
}

/** The storage version of the newest release that has the kind. */
export function newestVersion(k: FluxKind): string {
  for (const release of [...FLUX_RELEASES].reverse()) {
    const list = k.releases[release];
    if (list) return list.find((v) => v.storage)!.name;
  }
  throw new Error(`no release for ${k.kind}`);
}

/** Where a version stands: in which releases it is served, deprecated, and the last release serving it. */
export interface VersionStatus {
  readonly servedIn: readonly FluxRelease[];
  readonly deprecatedIn: readonly FluxRelease[];
  readonly lastServed: FluxRelease | undefined;
  readonly servedInLatest: boolean;
}

export function versionStatus(k: FluxKind, version: string): VersionStatus {
  const servedIn: FluxRelease[] = [];
  const deprecatedIn: FluxRelease[] = [];
  for (const release of FLUX_RELEASES) {
    const v = k.releases[release]?.find((x) => x.name === version);
    if (!v) continue;
    servedIn.push(release);
    if (v.deprecated) deprecatedIn.push(release);
  }
  return { servedIn, deprecatedIn, lastServed: servedIn.at(-1), servedInLatest: servedIn.includes(LATEST_FLUX_RELEASE) };
}

/**
 * A field that names another object. `path` is dotted from the object root, `[]` marks an array
 * whose items are references. `kinds` lists the kinds allowed; when `kindField` is true the
 * reference carries its own `kind` (one of `kinds`), otherwise the kind is implied.
 */
export interface ReferenceField {
  readonly owner: string;
  readonly path: string;
  readonly kinds: readonly string[];
  readonly kindField: boolean;
  /** Whether the reference may name another namespace (`namespace` field). */
  readonly crossNamespace: boolean;
}

/** Kinds whose events an Alert can select and a Receiver can trigger. */
const NOTIFIABLE_KINDS = [
  'Bucket',
  'GitRepository',
  'Kustomization',
  'HelmRelease',
  'HelmChart',
  'HelmRepository',
  'ImageRepository',
  'ImagePolicy',
  'ImageUpdateAutomation',
  'OCIRepository',
  'ArtifactGenerator',
  'ExternalArtifact',
];
const SOURCE_KINDS_FOR_KUSTOMIZATION = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];

export const REFERENCE_FIELDS: readonly ReferenceField[] = [
  { owner: 'Kustomization', path: 'spec.sourceRef', kinds: SOURCE_KINDS_FOR_KUSTOMIZATION, kindField: true, crossNamespace: true },
  { owner: 'Kustomization', path: 'spec.dependsOn[]', kinds: ['Kustomization'], kindField: false, crossNamespace: true },
  { owner: 'Kustomization', path: 'spec.decryption.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'Kustomization', path: 'spec.kubeConfig.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'Kustomization', path: 'spec.postBuild.substituteFrom[]', kinds: ['ConfigMap', 'Secret'], kindField: true, crossNamespace: false },
  { owner: 'HelmRelease', path: 'spec.chart.spec.sourceRef', kinds: ['HelmRepository', 'GitRepository', 'Bucket'], kindField: true, crossNamespace: true },
  { owner: 'HelmRelease', path: 'spec.chartRef', kinds: ['OCIRepository', 'HelmChart', 'ExternalArtifact'], kindField: true, crossNamespace: true },
  { owner: 'HelmRelease', path: 'spec.dependsOn[]', kinds: ['HelmRelease'], kindField: false, crossNamespace: true },
  { owner: 'HelmRelease', path: 'spec.valuesFrom[]', kinds: ['ConfigMap', 'Secret'], kindField: true, crossNamespace: false },
  { owner: 'HelmRelease', path: 'spec.kubeConfig.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'GitRepository', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'HelmRepository', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'OCIRepository', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'Bucket', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'ImagePolicy', path: 'spec.imageRepositoryRef', kinds: ['ImageRepository'], kindField: false, crossNamespace: true },
  { owner: 'ImageRepository', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  { owner: 'ImageUpdateAutomation', path: 'spec.sourceRef', kinds: ['GitRepository'], kindField: true, crossNamespace: true },
  { owner: 'Alert', path: 'spec.providerRef', kinds: ['Provider'], kindField: false, crossNamespace: false },
  {
    owner: 'Alert',
    path: 'spec.eventSources[]',
    kinds: NOTIFIABLE_KINDS,
    kindField: true,
    crossNamespace: true,
  },
  { owner: 'Provider', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
  {
    owner: 'Receiver',
    path: 'spec.resources[]',
    kinds: NOTIFIABLE_KINDS,
    kindField: true,
    crossNamespace: true,
  },
  { owner: 'Receiver', path: 'spec.secretRef', kinds: ['Secret'], kindField: false, crossNamespace: false },
];

export function referenceFieldsOf(kind: string): ReferenceField[] {
  return REFERENCE_FIELDS.filter((r) => r.owner === kind);
}
