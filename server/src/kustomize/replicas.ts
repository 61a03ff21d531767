/**
 * `replicas`: sets spec.replicas (the replicas field specs: Deployment, ReplicationController,
 * ReplicaSet, StatefulSet) of the objects with that name (current or previous); naming no such object is
 * kustomize's error.
 */
import { applyFieldSpec, type FieldSpec } from './fieldSpecs';
import { mapEntries, type KustomizationFile } from './kustomizationFile';
import { gvkSelected } from './nameAffixes';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import { isSeq, member, memberOrigin, scalarText, setMember } from './values';

export function applyReplicas(resources: ResMap, k: KustomizationFile, specs: readonly FieldSpec[]): void {
  for (const entry of mapEntries(k.fields, 'replicas')) {
    const name = scalarText(member(entry.value, 'name'));
    const count = member(entry.value, 'count');
    const origin = memberOrigin(entry.value, 'count') ?? entry.origin;
    let found = false;
    for (const spec of specs) {
      const matching = resources.list.filter((r) => r.allIds().some((id) => id.name === name && gvkSelected(id, spec)));
      if (matching.length === 0) continue;
      found = true;
      for (const resource of matching) {
        applyFieldSpec(
          resource,
          spec,
          'scalar',
          (container, key) => {
            const value = typeof count === 'number' ? count : 0;
            if (isSeq(container)) container[key as number] = value;
            else setMember(container, key as string, value, origin);
          },
          origin,
        );
      }
    }
    if (!found) {
      const gvks = specs.map((s) => `${s.kind || '[noKind]'}.${s.version || '[noVer]'}.${s.group || '[noGrp]'}`).join(' ');
      throw new BuildError(`resource with name ${name} does not match a config with the following GVK [${gvks}]`, memberOrigin(entry.value, 'name') ?? entry.origin);
    }
  }
}
