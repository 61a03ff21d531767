/**
 * The Flux objects an object points at (its source, chart source, image repository, provider), so
 * that a source can list its dependants. Namespaces default to the referring object's.
 */
import type { KubeObject } from '../connection/objects';
import { sourceOf, type ObjectId } from './sourceOf';

interface Ref {
  kind?: string;
  name?: string;
  namespace?: string;
}

function ref(obj: KubeObject, kind: string | undefined, r: Ref | undefined): ObjectId | undefined {
  const k = r?.kind ?? kind;
  return r?.name && k ? { group: '', kind: k, name: r.name, namespace: r.namespace ?? obj.metadata.namespace ?? '' } : undefined;
}

export function referencesOf(obj: KubeObject): ObjectId[] {
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const found: (ObjectId | undefined)[] = [];
  switch (obj.kind) {
    case 'Kustomization':
    case 'HelmRelease': {
      found.push(sourceOf(obj));
      const chartSource = (spec['chart'] as { spec?: { sourceRef?: Ref } } | undefined)?.spec?.sourceRef;
      if (obj.kind === 'HelmRelease') found.push(ref(obj, undefined, chartSource));
      break;
    }
    case 'HelmChart':
    case 'ImageUpdateAutomation':
      found.push(ref(obj, undefined, spec['sourceRef'] as Ref | undefined));
      break;
    case 'ImagePolicy':
      found.push(ref(obj, 'ImageRepository', spec['imageRepositoryRef'] as Ref | undefined));
      break;
    case 'Alert':
      found.push(ref(obj, 'Provider', spec['providerRef'] as Ref | undefined));
      break;
  }
  return found.filter((r): r is ObjectId => r !== undefined);
}

export function refersTo(obj: KubeObject, target: KubeObject): boolean {
  return referencesOf(obj).some((r) => r.kind === target.kind && r.name === target.metadata.name && r.namespace === (target.metadata.namespace ?? ''));
}
