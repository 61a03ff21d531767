/**
 * HelmRelease history and the objects a Helm release installed. History comes from the HelmRelease's
 * `status.history` snapshots; the installed objects from Helm's storage Secret
 * `sh.helm.release.v1.<release>.v<version>`, whose `release` entry is base64 (the Secret encoding)
 * of base64 of gzipped JSON; the JSON's `manifest` is the rendered multi-document YAML.
 */
import { gunzipSync } from 'node:zlib';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../connection/objects';

export interface HelmSnapshot {
  readonly version: number;
  readonly name?: string;
  readonly namespace?: string;
  readonly chartName?: string;
  readonly chartVersion?: string;
  readonly appVersion?: string;
  readonly status?: string;
  readonly lastDeployed?: string;
}

export function historyOf(helmRelease: KubeObject): HelmSnapshot[] {
  const history = helmRelease.status?.['history'];
  if (!Array.isArray(history)) return [];
  return (history as Record<string, unknown>[])
    .filter((s) => typeof s?.['version'] === 'number')
    .map((s) => ({
      version: s['version'] as number,
      name: str(s['name']),
      namespace: str(s['namespace']),
      chartName: str(s['chartName']),
      chartVersion: str(s['chartVersion']),
      appVersion: str(s['appVersion']),
      status: str(s['status']),
      lastDeployed: str(s['lastDeployed']),
    }));
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function storageSecretName(release: string, version: number): string {
  return `sh.helm.release.v1.${release}.v${version}`;
}

export interface ManifestObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface DecodedRelease {
  readonly name: string;
  readonly version: number;
  readonly status?: string;
  readonly chart?: string;
  readonly objects: ManifestObject[];
}

/** Decodes the `release` entry of a Helm storage Secret as the API returns it (still base64). */
export function decodeHelmStorage(secretReleaseData: string): DecodedRelease {
  const helmEncoded = Buffer.from(secretReleaseData, 'base64').toString('utf8');
  let raw = Buffer.from(helmEncoded, 'base64');
  if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw);
  const release = JSON.parse(raw.toString('utf8')) as {
    name?: string;
    version?: number;
    namespace?: string;
    info?: { status?: string };
    chart?: { metadata?: { name?: string; version?: string } };
    manifest?: string;
  };
  const meta = release.chart?.metadata;
  return {
    name: release.name ?? '',
    version: release.version ?? 0,
    status: release.info?.status,
    chart: meta?.name ? `${meta.name}@${meta.version ?? ''}` : undefined,
    objects: manifestObjects(release.manifest ?? '', release.namespace),
  };
}

function manifestObjects(manifest: string, releaseNamespace: string | undefined): ManifestObject[] {
  const objects: ManifestObject[] = [];
  for (const doc of parseAllDocuments(manifest)) {
    if (!('contents' in doc)) continue;
    const value = doc.toJS() as Partial<KubeObject> | null;
    const name = value?.metadata?.name;
    if (!value || typeof value.kind !== 'string' || typeof name !== 'string') continue;
    objects.push({
      apiVersion: String(value.apiVersion ?? ''),
      kind: value.kind,
      name,
      namespace: value.metadata?.namespace ?? releaseNamespace,
    });
  }
  return objects;
}
