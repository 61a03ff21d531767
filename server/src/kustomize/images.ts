/**
 * `images`: rewrites container images whose name matches an entry (the name is an RE2 pattern followed
 * by an optional `:tag` and `@digest`): newName, then newTag and/or digest, or tagSuffix. Like kustomize,
 * it rewrites every `image` of a `containers`/`initContainers` list anywhere in any object (custom
 * resources included) and the image field specs; never inside CustomResourceDefinitions.
 */
import { RE2JS } from 're2js';
import { applyFieldSpec, type FieldSpec } from './fieldSpecs';
import { mapEntries, type KustomizationFile } from './kustomizationFile';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import type { Resource } from './resource';
import { isMap, isSeq, member, memberOrigin, scalarText, setMember, type Origin, type Value, type ValueMap } from './values';

interface ImageRule {
  readonly name: string;
  readonly newName: string;
  readonly newTag: string;
  readonly digest: string;
  readonly tagSuffix: string;
  readonly origin: Origin;
}

function imageRules(entries: readonly { value: ValueMap; origin: Origin }[]): ImageRule[] {
  return entries.map(({ value, origin }) => ({
    name: scalarText(member(value, 'name')),
    newName: scalarText(member(value, 'newName')),
    newTag: scalarText(member(value, 'newTag')),
    digest: scalarText(member(value, 'digest')),
    tagSuffix: scalarText(member(value, 'tagSuffix')),
    origin: memberOrigin(value, 'newTag') ?? memberOrigin(value, 'digest') ?? memberOrigin(value, 'newName') ?? origin,
  }));
}

export function applyImagesField(resources: ResMap, k: KustomizationFile, specs: readonly FieldSpec[]): void {
  const entries = [...mapEntries(k.fields, 'images'), ...mapEntries(k.fields, 'imageTags')];
  applyImages(resources, imageRules(entries), specs);
}

function applyImages(resources: ResMap, rules: readonly ImageRule[], specs: readonly FieldSpec[]): void {
  for (const rule of rules) {
    const pattern = compile(rule.name);
    for (const resource of resources.list) {
      if (resource.kind === 'CustomResourceDefinition') continue;
      updateContainerLists(resource.obj, rule, pattern, resource);
      for (const spec of specs) applyFieldSpec(resource, spec, 'none', (container, key) => updateImage(container, key, rule, pattern, resource), rule.origin);
    }
  }
}

function compile(name: string): RE2JS | undefined {
  try {
    return RE2JS.compile(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    // kustomize treats a name that is no valid pattern as matching nothing.
    return undefined;
  }
}

/** Every `image` of the elements of any `containers`/`initContainers` list, depth first. */
function updateContainerLists(node: Value, rule: ImageRule, pattern: RE2JS | undefined, resource: Resource): void {
  if (isSeq(node)) {
    for (const element of node) updateContainerLists(element, rule, pattern, resource);
    return;
  }
  if (!isMap(node)) return;
  for (const key of Object.keys(node)) {
    const value = node[key]!;
    updateContainerLists(value, rule, pattern, resource);
    if ((key === 'containers' || key === 'initContainers') && isSeq(value)) {
      for (const element of value) if (isMap(element) && member(element, 'image') !== undefined && member(element, 'image') !== null) updateImage(element, 'image', rule, pattern, resource);
    }
  }
}

function updateImage(container: ValueMap | Value[], key: string | number, rule: ImageRule, pattern: RE2JS | undefined, resource: Resource): void {
  const current = (container as Record<string | number, Value>)[key];
  if (current === null || current === undefined) return;
  if (isMap(current) || isSeq(current)) throw new BuildError(`wrong node kind: expected ScalarNode but got ${isMap(current) ? 'MappingNode' : 'SequenceNode'}`, resource.origin);
  const value = scalarText(current);
  if (!pattern?.matches(value)) return;
  let { name, tag, digest } = splitImage(value);
  if (rule.newName) name = rule.newName;
  if (rule.newTag && rule.digest) {
    tag = rule.newTag;
    digest = rule.digest;
  } else if (rule.newTag) {
    tag = rule.newTag;
    digest = '';
  } else if (rule.digest) {
    tag = '';
    digest = rule.digest;
  } else if (rule.tagSuffix) {
    tag += rule.tagSuffix;
    digest = '';
  }
  const updated = `${name}${tag ? `:${tag}` : ''}${digest ? `@${digest}` : ''}`;
  if (isSeq(container)) container[key as number] = updated;
  else setMember(container, key as string, updated, rule.origin);
}

/** kustomize's image.Split: the tag's `:` and the digest's `@` are looked for after the first `/`. */
function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  let at = search.indexOf('@');
  let colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    at += offset;
    return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    at += offset;
    colon += offset;
    return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
  }
  colon += offset;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}
