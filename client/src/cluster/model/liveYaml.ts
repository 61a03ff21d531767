/**
 * The live object as YAML for a read-only document: managedFields dropped, and for Secrets every
 * value masked (data, stringData and the last-applied annotation, which repeats them).
 */
import { stringify } from 'yaml';
import type { KubeObject } from '../connection/objects';

const MASK = '*** (masked)';
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function maskValues(map: unknown): unknown {
  if (!map || typeof map !== 'object') return map;
  return Object.fromEntries(Object.keys(map).map((k) => [k, MASK]));
}

export function liveYaml(obj: KubeObject): string {
  const { managedFields: _dropped, ...metadata } = obj.metadata;
  let shown: Record<string, unknown> = { ...obj, metadata };
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1') {
    const annotations = metadata.annotations && LAST_APPLIED in metadata.annotations ? { ...metadata.annotations, [LAST_APPLIED]: MASK } : metadata.annotations;
    shown = { ...shown, metadata: { ...metadata, ...(annotations ? { annotations } : {}) } };
    if ('data' in obj) shown['data'] = maskValues(obj['data']);
    if ('stringData' in obj) shown['stringData'] = maskValues(obj['stringData']);
  }
  return stringify(shown, { lineWidth: 0 });
}
