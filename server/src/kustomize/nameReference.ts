/**
 * The last step of a build (kustomize's FixBackReferences): fields that name another object (a ConfigMap
 * volume, a Secret env ref, a ServiceAccount subject, an HPA's target...; the nameReference field specs)
 * are updated to that object's final name when it was renamed by a prefix, suffix, namespace change or
 * hash suffix. The referral is the renamed object of the right kind whose previous name is the one
 * written, in a namespace the referrer can reach, with the same name affixes when several qualify.
 */
import { applyFieldSpec, type NameBackReference } from './fieldSpecs';
import { gvkSelected } from './nameAffixes';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import { effectiveNamespace, idString, NOT_NAMESPACEABLE, type Gvk, type Resource } from './resource';
import { isMap, isSeq, member, scalarText, setMember, type Value, type ValueMap } from './values';

export function fixNameReferences(resources: ResMap, backReferences: readonly NameBackReference[]): void {
  const filters = new Map<Resource, { path: string; target: Gvk }[]>();
  const orgIds = resources.list.map((r) => r.orgId());
  for (const backReference of backReferences) {
    const target: Gvk = { group: backReference.group ?? '', version: backReference.version ?? '', kind: backReference.kind };
    for (const spec of backReference.fieldSpecs) {
      resources.list.forEach((resource, i) => {
        if (!gvkSelected(orgIds[i]!, spec)) return;
        const list = filters.get(resource) ?? [];
        list.push({ path: spec.path, target });
        filters.set(resource, list);
      });
    }
  }
  for (const [referrer, list] of filters) {
    const candidates = candidatesFor(resources, referrer);
    for (const { path, target } of list) {
      applyFieldSpec(referrer, { path }, 'none', (container, key) => update(referrer, container, key, path, target, candidates));
    }
  }
}

/** The objects a referrer may name: all for a cluster-scoped referrer, else cluster-scoped ones and its namespace's (and a RoleBinding's subjects' namespaces). */
function candidatesFor(resources: ResMap, referrer: Resource): Resource[] {
  const id = referrer.curId();
  if (id.clusterScoped) return resources.list;
  const subjectNamespaces = new Set<string>();
  if (referrer.kind === 'RoleBinding') {
    const subjects = member(referrer.obj, 'subjects');
    if (isSeq(subjects)) {
      for (const subject of subjects) {
        if (isMap(subject) && member(subject, 'namespace') !== undefined && scalarText(member(subject, 'kind')) === 'ServiceAccount') subjectNamespaces.add(scalarText(member(subject, 'namespace')));
      }
    }
  }
  return resources.list.filter((r) => {
    const other = r.curId();
    return other.clusterScoped || effectiveNamespace(other) === effectiveNamespace(id) || subjectNamespaces.has(r.namespace);
  });
}

function update(referrer: Resource, container: ValueMap | Value[], key: string | number, path: string, target: Gvk, candidates: readonly Resource[]): void {
  const node = (container as Record<string | number, Value>)[key];
  if (node === null || node === undefined) return;
  const set = (c: ValueMap | Value[], k: string | number, v: Value) => {
    if (isSeq(c)) c[k as number] = v;
    else (c as Record<string, Value>)[k as string] = v;
  };
  const one = (c: ValueMap | Value[], k: string | number) => {
    const value = (c as Record<string | number, Value>)[k];
    if (isMap(value)) updateMapping(referrer, value, path, target, candidates);
    else if (!isSeq(value) && value !== null && value !== undefined) {
      const referral = selectReferral(referrer, scalarText(value), candidates, path, target, sameNames);
      if (referral && referral.name !== scalarText(value)) set(c, k, referral.name);
    } else if (value !== null && value !== undefined) throw new BuildError('node must be a scalar, sequence or map', referrer.origin);
  };
  if (isSeq(node)) for (let i = 0; i < node.length; i++) one(node, i);
  else one(container, key);
}

function updateMapping(referrer: Resource, node: ValueMap, path: string, target: Gvk, candidates: readonly Resource[]): void {
  const name = member(node, 'name');
  if (name === undefined) {
    throw new BuildError(`updating name reference in '${path}' field of '${idString(referrer.curId())}': path config error; no 'name' field in node`, referrer.origin);
  }
  let inNamespace = candidates;
  const namespace = member(node, 'namespace');
  if (namespace !== undefined) {
    const ns = scalarText(namespace);
    const byOriginal = candidates.filter((r) => effectiveNamespace(r.orgId()) === ns && effectiveNamespace(r.orgId()) !== NOT_NAMESPACEABLE);
    inNamespace = byOriginal.length > 0 ? byOriginal : candidates.filter((r) => effectiveNamespace(r.curId()) === ns && !r.curId().clusterScoped);
  }
  const oldName = scalarText(name);
  const referral = selectReferral(referrer, oldName, inNamespace, path, target, sameNamesAndNamespaces);
  if (!referral) return;
  if (referral.name === oldName && referral.namespace === '') return;
  node.name = referral.name;
  if (referral.namespace !== '') setMember(node, 'namespace', referral.namespace);
}

const sameNames = (list: readonly Resource[]) => list.every((r) => r.name === list[0]!.name);
const sameNamesAndNamespaces = (list: readonly Resource[]) => list.every((r) => r.name === list[0]!.name && r.namespace === list[0]!.namespace);

function selectReferral(referrer: Resource, oldName: string, all: readonly Resource[], path: string, target: Gvk, identical: (list: readonly Resource[]) => boolean): Resource | undefined {
  let candidates = all.filter((r) => r.prevIds.some((id) => id.name === oldName));
  candidates = candidates.filter((r) => r.prevIds.some((id) => gvkSelected(id, target)));
  if (path.endsWith('roleRef/name')) {
    const roleRef = member(referrer.obj, 'roleRef');
    const group = member(roleRef, 'apiGroup');
    const kind = member(roleRef, 'kind');
    if (isMap(roleRef) && group !== undefined && kind !== undefined) {
      candidates = candidates.filter((r) => r.prevIds.some((id) => gvkSelected(id, { group: scalarText(group), kind: scalarText(kind) })));
    }
  }
  const referrerId = referrer.curId();
  if (!referrerId.clusterScoped) {
    candidates = candidates.filter((r) => r.curId().clusterScoped || r.kind === 'ServiceAccount' || effectiveNamespace(r.curId()) === effectiveNamespace(referrerId));
  }
  if (candidates.length === 1) return candidates[0];
  candidates = candidates.filter((r) => affixesEqual(r, referrer, true));
  if (candidates.length > 1) candidates = candidates.filter((r) => affixesEqual(r, referrer, false));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) return undefined;
  if (identical(candidates)) return candidates[0];
  throw new BuildError(`found multiple possible referrals: ${candidates.map((r) => idString(r.curId())).join(', ')}`, referrer.origin);
}

function affixesEqual(candidate: Resource, referrer: Resource, allowEmpty: boolean): boolean {
  const prefixes = (allowEmpty && (candidate.prefixes.length === 0 || referrer.prefixes.length === 0)) || sameEnding(candidate.prefixes, referrer.prefixes);
  const suffixes = (allowEmpty && (candidate.suffixes.length === 0 || referrer.suffixes.length === 0)) || sameEnding(candidate.suffixes, referrer.suffixes);
  return prefixes && suffixes;
}

/** Whether the shorter list is the end of the longer one (both empty counts; one empty does not). */
function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const [shortest, longest] = a.length <= b.length ? [a, b] : [b, a];
  if (shortest.length === 0) return longest.length === 0;
  const diff = longest.length - shortest.length;
  return shortest.every((s, i) => longest[i + diff] === s);
}

