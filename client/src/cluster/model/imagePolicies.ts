/**
 * Live ImagePolicy results for the language server's marker hovers: `status.latestRef`
 * (image-reflector-controller ≥ Flux 2.5), or the older `status.latestImage` ("<image>:<tag>").
 */
import type { ImagePolicyStatus } from '../../../../server/src/protocol';
import { stringAt, type KubeObject } from '../connection/objects';

function splitImage(ref: string): { image: string; tag?: string; digest?: string } {
  const [withTag, digest] = ref.split('@', 2) as [string, string | undefined];
  const colon = withTag.lastIndexOf(':');
  const hasTag = colon > withTag.lastIndexOf('/');
  return { image: hasTag ? withTag.slice(0, colon) : withTag, ...(hasTag ? { tag: withTag.slice(colon + 1) } : {}), ...(digest ? { digest } : {}) };
}

export function imagePolicyStatuses(policies: readonly KubeObject[]): ImagePolicyStatus[] {
  return policies.map((p) => {
    const name = stringAt(p, ['status', 'latestRef', 'name']);
    const latestImage = stringAt(p, ['status', 'latestImage']);
    const latestRef = name
      ? { image: name, tag: stringAt(p, ['status', 'latestRef', 'tag']), digest: stringAt(p, ['status', 'latestRef', 'digest']) }
      : latestImage
        ? splitImage(latestImage)
        : undefined;
    const clean = latestRef && Object.fromEntries(Object.entries(latestRef).filter(([, v]) => v !== undefined));
    return { namespace: p.metadata.namespace ?? '', name: p.metadata.name, ...(clean ? { latestRef: clean } : {}) };
  });
}
