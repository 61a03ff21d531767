/**
 * `labels`, `commonLabels` and `commonAnnotations`. Each `labels` entry sets its pairs on metadata.labels,
 * plus on selectors and templates with `includeSelectors` (what commonLabels always does), on pod
 * templates with `includeTemplates`, on volume claim templates with `includeVolumeClaimTemplates`, and on
 * its own `fields`. commonAnnotations go to metadata and pod templates.
 */
import { applyFieldSpec, mergeSpecs, type FieldSpec, type TransformerConfig } from './fieldSpecs';
import { fieldOrigin, mapEntries, stringMap, type KustomizationFile } from './kustomizationFile';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import { isMap, isSeq, member, memberOrigin, newMap, setMember, type Origin, type Value, type ValueMap } from './values';

export function applyLabels(resources: ResMap, k: KustomizationFile, config: TransformerConfig): void {
  for (const entry of mapEntries(k.fields, 'labels')) {
    const pairs = stringMap(member(entry.value, 'pairs'));
    let specs: FieldSpec[] = mergeSpecs(fieldSpecsOf(member(entry.value, 'fields')), config.labels);
    if (member(entry.value, 'includeSelectors') === true) specs = mergeSpecs(specs, config.commonLabels);
    else {
      if (member(entry.value, 'includeTemplates') === true) specs = mergeSpecs(specs, config.templateLabels);
      if (member(entry.value, 'includeVolumeClaimTemplates') === true) specs = mergeSpecs(specs, config.volumeClaimTemplateLabels);
      specs = mergeSpecs(specs, [{ path: 'metadata/labels', create: true }]);
    }
    setStringEntries(resources, pairs, specs, memberOrigin(entry.value, 'pairs') ?? entry.origin);
  }
  const common = stringMap(member(k.fields, 'commonLabels'));
  setStringEntries(resources, common, config.commonLabels, fieldOrigin(k.fields, 'commonLabels'));
}

export function applyCommonAnnotations(resources: ResMap, k: KustomizationFile, config: TransformerConfig): void {
  setStringEntries(resources, stringMap(member(k.fields, 'commonAnnotations')), config.commonAnnotations, fieldOrigin(k.fields, 'commonAnnotations'));
}

export function fieldSpecsOf(value: Value | undefined): FieldSpec[] {
  if (!isSeq(value)) return [];
  return value.filter(isMap).map((spec) => ({
    ...(typeof spec.group === 'string' ? { group: spec.group } : {}),
    ...(typeof spec.version === 'string' ? { version: spec.version } : {}),
    ...(typeof spec.kind === 'string' ? { kind: spec.kind } : {}),
    path: typeof spec.path === 'string' ? spec.path : '',
    create: spec.create === true,
  }));
}

/** Sets string pairs in the maps the field specs reach (creating them where the spec says), keys in order. */
function setStringEntries(resources: ResMap, pairs: Record<string, string>, specs: readonly FieldSpec[], origin: Origin): void {
  const keys = Object.keys(pairs).sort();
  if (keys.length === 0) return;
  for (const resource of resources.list) {
    for (const key of keys) {
      for (const spec of specs) {
        applyFieldSpec(
          resource,
          spec,
          'map',
          (container, field) => {
            const fields = container as Record<string | number, Value>;
            let target = fields[field];
            if (target === null) {
              target = newMap(origin);
              if (isSeq(container)) container[field as number] = target;
              else setMember(container, field as string, target);
            }
            if (!isMap(target)) throw new BuildError(`considering field '${spec.path}' of object ${resource.kind}/${resource.name}: wrong node kind: expected MappingNode`, resource.origin);
            setMember(target as ValueMap, key, pairs[key]!, origin);
          },
          origin,
        );
      }
    }
  }
}
