/**
 * `namespace:`: sets metadata.namespace on every object kustomize does not know as cluster-scoped (custom
 * kinds always get one), renames a `v1` Namespace object to it, sets the namespace of the default field
 * specs (an APIService's service, a CRD's conversion webhook), and of RoleBinding/ClusterRoleBinding
 * subjects named `default`. Two objects ending with the same id is an error.
 */
import { applyFieldSpec, type TransformerConfig } from './fieldSpecs';
import { fieldOrigin, type KustomizationFile } from './kustomizationFile';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import { idString } from './resource';
import { isMap, isSeq, member, scalarText, setMember, type Origin, type Value, type ValueMap } from './values';

export function applyNamespace(resources: ResMap, k: KustomizationFile, config: TransformerConfig): void {
  const namespace = scalarText(member(k.fields, 'namespace'));
  if (!namespace) return;
  setNamespace(resources, namespace, fieldOrigin(k.fields, 'namespace'), config);
}

function setNamespace(resources: ResMap, namespace: string, origin: Origin, config: TransformerConfig): void {
  const setScalar = (container: ValueMap | Value[], key: string | number) => {
    if (isMap((container as Record<string | number, Value>)[key]) || isSeq((container as Record<string | number, Value>)[key])) {
      throw new BuildError('namespace field specs must target scalar nodes', origin);
    }
    if (isSeq(container)) container[key as number] = namespace;
    else setMember(container, key as string, namespace, origin);
  };
  for (const resource of [...resources.list]) {
    if (scalarText(member(member(member(resource.obj, 'metadata'), 'annotations'), 'kustomize.config.k8s.io/helm-generated')) === 'true') continue;
    resource.storePreviousId();
    const id = resource.curId();
    const specs = config.namespace.filter((spec) => spec.path !== 'metadata/namespace' && (resource.apiVersion === 'v1' || spec.path !== 'metadata/name'));
    if (!id.clusterScoped) applyFieldSpec(resource, { path: 'metadata/namespace', create: true }, 'scalar', setScalar, origin);
    if (resource.kind === 'RoleBinding' || resource.kind === 'ClusterRoleBinding') {
      const subjects = member(resource.obj, 'subjects');
      if (isSeq(subjects)) {
        for (const subject of subjects) {
          if (isMap(subject) && scalarText(member(subject, 'name')) === 'default' && member(subject, 'name') !== null) setMember(subject, 'namespace', namespace, origin);
        }
      }
    }
    for (const spec of specs) applyFieldSpec(resource, spec, 'scalar', setScalar, origin);
    const clashes = resources.matchingCurrent(resource.curId());
    if (clashes.length !== 1) throw new BuildError(`namespace transformation produces ID conflict: ${clashes.map((r) => idString(r.curId())).join(', ')}`, origin);
  }
}
