/**
 * The ordered set of resources a kustomization accumulates (kustomize's ResMap): appending refuses a
 * second object with the same id; a generated object with behavior merge/replace joins the one it names.
 */
import { BuildError } from './problems';
import { effectiveNamespace, idString, idsEqual, type ResId, type Resource } from './resource';
import { hasMember, isMap, member, newMap, scalarText, setMember, type Origin, type ValueMap } from './values';

export class ResMap {
  readonly list: Resource[] = [];

  matchingCurrent(id: ResId): Resource[] {
    return this.list.filter((r) => r.name === id.name && idsEqual(r.curId(), id));
  }

  matchingAny(id: ResId): Resource[] {
    return this.list.filter((r) => (r.name === id.name || r.prevIds.some((p) => p.name === id.name)) && r.allIds().some((other) => idsEqual(other, id)));
  }

  append(resource: Resource, origin: Origin): void {
    const id = resource.curId();
    if (this.matchingCurrent(id).length > 0) throw new BuildError(`may not add resource with an already registered id: ${idString(id)}`, origin);
    this.list.push(resource);
  }

  /** Appends many at once: ids are compared through one index instead of one scan per object. */
  appendAll(resources: readonly Resource[], origin: Origin): void {
    const key = (id: ResId) => `${id.group}\0${id.version}\0${id.kind}\0${id.name}\0${effectiveNamespace(id)}`;
    const present = new Set(this.list.map((r) => key(r.curId())));
    for (const resource of resources) {
      const id = resource.curId();
      if (present.has(key(id))) throw new BuildError(`may not add resource with an already registered id: ${idString(id)}`, origin);
      present.add(key(id));
      this.list.push(resource);
    }
  }

  remove(resource: Resource): void {
    const i = this.list.indexOf(resource);
    if (i >= 0) this.list.splice(i, 1);
  }

  /** Adds a generated object: created, or merged into / replacing the one of the same id. */
  absorb(resource: Resource, origin: Origin): void {
    const id = resource.curId();
    const matches = this.matchingAny(id);
    const behavior = resource.behavior ?? 'create';
    if (matches.length === 0) {
      if (behavior === 'merge' || behavior === 'replace') throw new BuildError(`id ${idString(id)} does not exist; cannot merge or replace`, origin);
      this.append(resource, origin);
      return;
    }
    if (matches.length > 1) throw new BuildError(`found multiple objects that could accept merge of ${idString(id)}`, origin);
    const old = matches[0]!;
    if (behavior === 'create') {
      throw new BuildError(`id ${idString(id)} exists; can not use behavior: 'create', behavior must be merge or replace`, origin);
    }
    copyMergeMetadata(resource, old);
    if (behavior === 'merge') {
      mergeStringField(resource.obj, old.obj, 'data', resource.apiVersion === 'v1' && resource.kind === 'Secret');
      mergeStringField(resource.obj, old.obj, 'binaryData', false);
    }
    this.list[this.list.indexOf(old)] = resource;
  }
}

/**
 * What a merging or replacing generator keeps of the object it joins: labels and annotations (its own
 * win), name, namespace and build state.
 */
function copyMergeMetadata(resource: Resource, old: Resource): void {
  for (const field of ['labels', 'annotations'] as const) {
    const merged = newMap();
    for (const source of [member(member(old.obj, 'metadata'), field), member(member(resource.obj, 'metadata'), field)]) {
      if (isMap(source)) for (const key of Object.keys(source)) setMember(merged, key, scalarText(source[key]));
    }
    const meta = resource.metadata();
    if (Object.keys(merged).length === 0) delete meta[field];
    else setMember(meta, field, merged);
  }
  resource.setName(old.name);
  resource.setNamespace(old.namespace);
  resource.prevIds = [...old.prevIds];
  resource.prefixes = [...old.prefixes];
  resource.suffixes = [...old.suffixes];
  // kustomize keeps the old object's build annotations, the hash mark only when both carry it.
  resource.needsHashSuffix = resource.needsHashSuffix && old.needsHashSuffix;
}

/** `data`/`binaryData` of the old object, overridden by the new one's (a Secret's stringData counts as data). */
function mergeStringField(obj: ValueMap, oldObj: ValueMap, field: string, secret: boolean): void {
  const merged = newMap();
  const oldData = member(oldObj, field);
  if (isMap(oldData)) for (const key of Object.keys(oldData)) setMember(merged, key, scalarText(oldData[key]));
  if (secret) {
    const stringData = member(oldObj, 'stringData');
    if (isMap(stringData)) for (const key of Object.keys(stringData)) setMember(merged, key, Buffer.from(scalarText(stringData[key])).toString('base64'));
  }
  const own = member(obj, field);
  if (isMap(own)) for (const key of Object.keys(own)) setMember(merged, key, scalarText(own[key]));
  if (Object.keys(merged).length === 0) {
    if (hasMember(obj, field)) delete obj[field];
  } else setMember(obj, field, merged);
}
