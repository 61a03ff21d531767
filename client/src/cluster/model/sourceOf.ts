/**
 * The source a `--with-source` reconcile goes through first, as the flux CLI resolves it:
 * Kustomization → spec.sourceRef; HelmRelease → spec.chartRef, or its HelmChart
 * `<hr namespace>-<hr name>` in the chart source's namespace (status.helmChart when known).
 */
import { groupOf } from '../connection/fluxKinds';
import type { KubeObject } from '../connection/objects';

export interface ObjectId {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

interface Ref {
  kind?: string;
  name?: string;
  namespace?: string;
  apiVersion?: string;
}

const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

export function sourceOf(obj: KubeObject): ObjectId | undefined {
  const ns = obj.metadata.namespace ?? '';
  const spec = obj.spec ?? {};
  const fromRef = (ref: Ref | undefined): ObjectId | undefined =>
    ref?.kind && ref.name
      ? { group: ref.apiVersion ? groupOf(ref.apiVersion) : SOURCE_GROUP, kind: ref.kind, name: ref.name, namespace: ref.namespace ?? ns }
      : undefined;
  if (obj.kind === 'Kustomization') return fromRef(spec['sourceRef'] as Ref | undefined);
  if (obj.kind !== 'HelmRelease') return undefined;
  const chartRef = fromRef(spec['chartRef'] as Ref | undefined);
  if (chartRef) return chartRef;
  const helmChart = obj.status?.['helmChart'];
  if (typeof helmChart === 'string' && helmChart.includes('/')) {
    const [namespace, name] = helmChart.split('/', 2) as [string, string];
    return { group: SOURCE_GROUP, kind: 'HelmChart', namespace, name };
  }
  const chartSource = (spec['chart'] as { spec?: { sourceRef?: Ref } } | undefined)?.spec?.sourceRef;
  if (!chartSource?.name) return undefined;
  return { group: SOURCE_GROUP, kind: 'HelmChart', namespace: chartSource.namespace ?? ns, name: `${ns}-${obj.metadata.name}` };
}
