/**
 * `namePrefix` and `nameSuffix`: added to metadata.name (and any other name field specs) of every object
 * but CustomResourceDefinitions, APIServices and Namespaces; the previous name is kept so references to
 * the object are updated at the end of the build.
 */
import { applyFieldSpec, type FieldSpec } from './fieldSpecs';
import { fieldOrigin, type KustomizationFile } from './kustomizationFile';
import type { ResMap } from './resMap';
import type { Gvk } from './resource';
import { member, scalarText, type Origin, type Value, type ValueMap } from './values';

const NEVER_RENAMED: readonly Partial<Gvk>[] = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }];

/** kyaml's Gvk.IsSelected: every part the selector sets must be equal. */
export function gvkSelected(gvk: Gvk, selector: Partial<Gvk>): boolean {
  return (!selector.group || selector.group === gvk.group) && (!selector.version || selector.version === gvk.version) && (!selector.kind || selector.kind === gvk.kind);
}

export function applyNameAffixes(resources: ResMap, k: KustomizationFile, specs: { prefix: readonly FieldSpec[]; suffix: readonly FieldSpec[] }): void {
  const prefix = scalarText(member(k.fields, 'namePrefix'));
  const suffix = scalarText(member(k.fields, 'nameSuffix'));
  if (prefix) addAffix(resources, 'prefix', prefix, fieldOrigin(k.fields, 'namePrefix'), specs.prefix);
  if (suffix) addAffix(resources, 'suffix', suffix, fieldOrigin(k.fields, 'nameSuffix'), specs.suffix);
}

function addAffix(resources: ResMap, which: 'prefix' | 'suffix', affix: string, origin: Origin, specs: readonly FieldSpec[]): void {
  for (const resource of resources.list) {
    const id = resource.orgId();
    if (NEVER_RENAMED.some((skip) => gvkSelected(id, skip))) continue;
    for (const spec of specs) {
      if (!gvkSelected(id, spec)) continue;
      if (spec.path === 'metadata/name') {
        (which === 'prefix' ? resource.prefixes : resource.suffixes).push(affix);
        resource.storePreviousId();
      }
      applyFieldSpec(resource, spec, 'scalar', (container, key) => rename(container, key, which, affix), origin);
    }
  }
}

/** The name keeps the origin of the text it was written in: that is where a user changes it. */
function rename(container: ValueMap | Value[], key: string | number, which: 'prefix' | 'suffix', affix: string): void {
  const fields = container as Record<string | number, Value>;
  const current = scalarText(fields[key]);
  fields[key] = which === 'prefix' ? `${affix}${current}` : `${current}${affix}`;
}
