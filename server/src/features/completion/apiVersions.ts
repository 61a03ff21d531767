import { FLUX_KINDS, LATEST_FLUX_RELEASE } from '../../schema/fluxKnowledge';
import { apiVersionOf } from '../../schema/types';
import type { SchemaView } from '../context';

/** One apiVersion/kind pair that can be written, from the schemas and the Flux knowledge. */
export interface KnownKind {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly deprecated: boolean;
}

/** Every served apiVersion/kind: schemas first; Flux kinds without a CRD from the latest release. */
export function knownKinds(schemas: SchemaView): KnownKind[] {
  const result: KnownKind[] = [];
  const seen = new Set<string>();
  for (const k of schemas.all()) {
    if (!k.served) continue;
    seen.add(`${k.group}/${k.kind}`);
    result.push({ apiVersion: apiVersionOf(k.group, k.version), group: k.group, version: k.version, kind: k.kind, deprecated: k.deprecated });
  }
  for (const f of FLUX_KINDS) {
    if (seen.has(`${f.group}/${f.kind}`)) continue;
    for (const v of f.releases[LATEST_FLUX_RELEASE] ?? []) {
      result.push({ apiVersion: apiVersionOf(f.group, v.name), group: f.group, version: v.name, kind: f.kind, deprecated: v.deprecated });
    }
  }
  return result;
}

/** Orders Kubernetes versions: v2 > v1 > v1beta2 > v1beta1 > v1alpha1. */
export function versionRank(version: string): number {
  const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(version);
  if (!m) return 0;
  const stage = m[2] === undefined ? 900 : m[2] === 'beta' ? 500 + Number(m[3]) : 100 + Number(m[3]);
  return Number(m[1]) * 1000 + stage;
}

/** Newest first within a group, deprecated after served; groups alphabetically. */
export function compareKnown(a: KnownKind, b: KnownKind): number {
  return Number(a.deprecated) - Number(b.deprecated) || a.group.localeCompare(b.group) || versionRank(b.version) - versionRank(a.version) || a.kind.localeCompare(b.kind);
}
