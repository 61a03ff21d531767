/**
 * `replacements` (inline, or a `path` to a file holding one or a list): copies a value (a field of the one
 * object the source selects, or `sourceValue`) into fields of the objects each target selects, in order.
 * Source paths are `a.b[name=x].c` (exact element match) or indexes; target paths also take `*` and
 * `[key=regex]`, and with `options.create` make what is missing. `options.delimiter`/`index` take or set
 * one part of a delimited value. Scalars set into an existing scalar keep that scalar's type; created
 * ones are typed by their text, as kustomize's YAML nodes are.
 */
import * as path from 'node:path';
import { RE2JS } from 're2js';
import { mapEntries, type KustomizationFile } from './kustomizationFile';
import { gvkSelected } from './nameAffixes';
import { BuildError } from './problems';
import type { ResMap } from './resMap';
import type { ResId, Resource } from './resource';
import { SelectorMatcher, selectorFrom, parseLabelSelector } from './selector';
import type { BuildSession } from './session';
import { cloneValue, isContainer, isMap, isSeq, member, memberOrigin, newMap, newSeq, originOf, scalarText, seqPush, setMember, type Origin, type Value, type ValueMap } from './values';
import { parseYamlDocuments, resolvePlainScalar } from './yamlValues';

interface Replacement {
  readonly value: ValueMap;
  readonly origin: Origin;
}

export function applyReplacements(resources: ResMap, k: KustomizationFile, session: BuildSession): void {
  const list: Replacement[] = [];
  for (const entry of mapEntries(k.fields, 'replacements')) {
    const file = member(entry.value, 'path');
    if (typeof file === 'string' && file !== '') {
      if (member(entry.value, 'source') !== undefined || member(entry.value, 'targets') !== undefined) throw new BuildError('cannot specify both path and inline replacement', entry.origin);
      list.push(...loadReplacementFile(path.resolve(k.dir, file), memberOrigin(entry.value, 'path') ?? entry.origin, session));
    } else list.push(entry);
  }
  for (const replacement of list) applyReplacement(resources, replacement);
}

function loadReplacementFile(file: string, origin: Origin, session: BuildSession): Replacement[] {
  const text = session.reader.readFile(file);
  if (text === undefined) throw new BuildError(`open ${file}: no such file or directory`, origin);
  const parsed = parseYamlDocuments(file, text, { yaml11: true, cache: session.cache });
  if (parsed.problem) throw new BuildError(parsed.problem.message, parsed.problem.origin);
  const value = parsed.documents[0]?.value;
  const at = parsed.documents[0]?.origin ?? origin;
  if (isSeq(value)) return value.filter(isMap).map((v) => ({ value: v, origin: originOf(v) ?? at }));
  if (isMap(value)) return [{ value, origin: at }];
  throw new BuildError(`unsupported replacement type encountered within replacement path: ${value === null || value === undefined ? 'invalid' : typeof value}`, origin);
}

function applyReplacement(resources: ResMap, replacement: Replacement): void {
  const { value: r, origin } = replacement;
  const source = member(r, 'source');
  const sourceValue = member(r, 'sourceValue');
  const targets = member(r, 'targets');
  if ((sourceValue === undefined && source === undefined) || targets === undefined || targets === null) {
    throw new BuildError('replacements must specify a source and at least one target', origin);
  }
  if (sourceValue !== undefined && source !== undefined) throw new BuildError('value and resource selectors are mutually exclusive', origin);
  const found = sourceValue !== undefined ? { value: scalarText(sourceValue) as Value, origin: memberOrigin(r, 'sourceValue') ?? origin } : sourceOf(resources, isMap(source) ? source : newMap(), origin);
  for (const target of isSeq(targets) ? targets : []) {
    if (!isMap(target)) continue;
    applyTarget(resources, found, target, originOf(target) ?? origin);
  }
}

interface Found {
  readonly value: Value;
  readonly origin: Origin;
}

/** kyaml's ResId.IsSelectedBy: name and namespace equal when set, group/version/kind equal when set. */
function idSelectedBy(id: ResId, selector: ValueMap): boolean {
  const text = (key: string) => scalarText(member(selector, key));
  const ns = (n: string) => (n === '' || n === 'default' ? 'default' : n);
  return (!text('name') || text('name') === id.name) && (!text('namespace') || ns(text('namespace')) === ns(id.namespace)) && gvkSelected(id, { group: text('group'), version: text('version'), kind: text('kind') });
}

/** The ids replacements look at: the current one (as a namespaced id) and the previous ones. */
function idsOf(resource: Resource): ResId[] {
  return [{ ...resource.curId(), clusterScoped: false }, ...resource.prevIds];
}

function sourceOf(resources: ResMap, selector: ValueMap, origin: Origin): Found {
  const matches = resources.list.filter((r) => idsOf(r).some((id) => idSelectedBy(id, selector)));
  const description = describeSelector(selector);
  if (matches.length > 1) throw new BuildError(`multiple matches for selector ${description}`, origin);
  if (matches.length === 0) throw new BuildError(`nothing selected by ${description}`, origin);
  const fieldPath = scalarText(member(selector, 'fieldPath')) || 'metadata.name';
  const found = lookup(matches[0]!.obj, splitPath(fieldPath), origin);
  if (found === undefined || found.value === null || (isMap(found.value) && Object.keys(found.value).length === 0) || (isSeq(found.value) && found.value.length === 0)) {
    throw new BuildError(`fieldPath \`${fieldPath}\` is missing for replacement source ${describeId(selector)}`, origin);
  }
  const options = member(selector, 'options');
  const delimiter = scalarText(member(options, 'delimiter'));
  if (!delimiter) return found;
  if (isContainer(found.value)) throw new BuildError('delimiter option can only be used with scalar nodes', origin);
  const parts = scalarText(found.value).split(delimiter);
  const index = typeof member(options, 'index') === 'number' ? (member(options, 'index') as number) : 0;
  if (index >= parts.length || index < 0) throw new BuildError(`options.index ${index} is out of bounds for value ${scalarText(found.value)}`, origin);
  return { value: typeof found.value === 'string' ? parts[index]! : resolvePlainScalar(parts[index]!), origin: found.origin };
}

function describeId(selector: ValueMap): string {
  const text = (key: string) => scalarText(member(selector, key));
  return `${text('kind') || '[noKind]'}.${text('version') || '[noVer]'}.${text('group') || '[noGrp]'}/${text('name') || '[noName]'}.${text('namespace') || '[noNs]'}`;
}

function describeSelector(selector: ValueMap): string {
  const fieldPath = scalarText(member(selector, 'fieldPath'));
  return [describeId(selector), ...(fieldPath ? [fieldPath] : [])].join(':');
}

/** kyaml's SmarterPathSplitter on `.`: `\.` escapes a dot, `[a=b.c]` keeps its dots. */
export function splitPath(fieldPath: string): string[] {
  const raw: string[] = [];
  for (const part of fieldPath.split('.')) {
    if (raw.length > 0 && raw[raw.length - 1]!.endsWith('\\')) raw[raw.length - 1] = `${raw[raw.length - 1]!.slice(0, -1)}.${part}`;
    else raw.push(part);
  }
  if (raw.length > 1 && raw[0] === '') raw.shift();
  const result: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const element = raw[i]!;
    if (element.startsWith('[') && !element.endsWith(']')) {
      const bracketed = [element];
      while (i < raw.length - 1) {
        i++;
        bracketed.push(raw[i]!);
        if (raw[i]!.endsWith(']')) break;
      }
      const joined = bracketed.join('.');
      result.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else result.push(element);
  }
  return result.filter((p) => p.trim() !== '').map((p) => p.trim());
}

/** kyaml's PathGetter (Lookup): fields, indexes, `-` for the last element, `[key=value]` exact matches. */
function lookup(root: Value, parts: readonly string[], origin: Origin): Found | undefined {
  let node: Value = root;
  let at: Origin | undefined = originOf(root);
  for (const part of parts) {
    if (node === null) return undefined;
    if (/^\d+$/.test(part) || part === '-') {
      if (!isSeq(node)) throw new BuildError(`error looking up replacement source: wrong node kind: expected SequenceNode`, origin);
      const index = part === '-' ? node.length - 1 : Number(part);
      if (index < 0 || index >= node.length) return undefined;
      at = memberOrigin(node, index) ?? at;
      node = node[index]!;
    } else if (part === '*') {
      throw new BuildError('error looking up replacement source: wildcard is not supported in PathGetter', origin);
    } else if (part.startsWith('[') && part.endsWith(']')) {
      if (!isSeq(node)) throw new BuildError(`error looking up replacement source: wrong node kind: expected SequenceNode`, origin);
      const [key, value] = splitIndex(part, origin);
      const index = node.findIndex((e) => (key === '' ? !isContainer(e) && scalarText(e) === value : isMap(e) && member(e, key) !== undefined && scalarText(member(e, key)) === value));
      if (index < 0) return undefined;
      at = memberOrigin(node, index) ?? at;
      node = node[index]!;
    } else {
      if (!isMap(node)) throw new BuildError(`error looking up replacement source: wrong node kind: expected MappingNode`, origin);
      if (member(node, part) === undefined) return undefined;
      at = memberOrigin(node, part) ?? at;
      node = node[part]!;
    }
  }
  return { value: node, origin: at ?? origin };
}

function splitIndex(part: string, origin: Origin): [string, string] {
  const inner = part.slice(1, -1);
  const eq = inner.indexOf('=');
  if (eq < 0) throw new BuildError('list path element must contain fieldName=fieldValue for element to match', origin);
  return [inner.slice(0, eq), inner.slice(eq + 1)];
}

function applyTarget(resources: ResMap, found: Found, target: ValueMap, origin: Origin): void {
  const select = member(target, 'select');
  if (!isMap(select)) throw new BuildError('target must specify resources to select', origin);
  const fieldPathsValue = member(target, 'fieldPaths');
  const fieldPaths = isSeq(fieldPathsValue) && fieldPathsValue.length > 0 ? fieldPathsValue.map(scalarText) : ['metadata.name'];
  const selectIds = new SelectorMatcher({ ...selectorFrom(select), labelSelector: undefined, annotationSelector: undefined }, origin);
  const rejects = (isSeq(member(target, 'reject')) ? (member(target, 'reject') as Value[]) : []).filter(isMap);
  const options = member(target, 'options');
  for (const resource of resources.list) {
    if (!matchesLabelsAndAnnotations(resource, select, origin)) continue;
    if (rejects.some((reject) => (scalarText(member(reject, 'labelSelector')) || scalarText(member(reject, 'annotationSelector'))) && matchesLabelsAndAnnotations(resource, reject, origin))) continue;
    const ids = idsOf(resource);
    const rejectIds = rejects.filter((reject) => ['group', 'version', 'kind', 'name', 'namespace'].some((key) => scalarText(member(reject, key)) !== ''));
    if (rejectIds.some((reject) => ids.some((id) => idMatches(new SelectorMatcher({ ...selectorFrom(reject), labelSelector: undefined, annotationSelector: undefined }, origin), id)))) continue;
    if (!ids.some((id) => idMatches(selectIds, id))) continue;
    for (const fieldPath of fieldPaths) setTargetField(resource, fieldPath, found, options, origin);
  }
}

/** Target selection compares the namespace as written (not the effective one), unlike patch targets. */
function idMatches(matcher: SelectorMatcher, id: ResId): boolean {
  return matcher.matchesId(id, id.namespace);
}

function matchesLabelsAndAnnotations(resource: Resource, selector: ValueMap, origin: Origin): boolean {
  const labels = scalarText(member(selector, 'labelSelector'));
  const annotations = scalarText(member(selector, 'annotationSelector'));
  if (labels) parseLabelSelector(labels, origin);
  if (annotations) parseLabelSelector(annotations, origin);
  return new SelectorMatcher({ labelSelector: labels || undefined, annotationSelector: annotations || undefined }, origin).matches(resource);
}

type CreateKind = 'scalar' | 'map' | 'seq' | undefined;

function setTargetField(resource: Resource, fieldPath: string, found: Found, options: Value | undefined, origin: Origin): void {
  const create: CreateKind = member(options, 'create') === true ? (isMap(found.value) ? 'map' : isSeq(found.value) ? 'seq' : 'scalar') : undefined;
  const targets: Slot[] = [];
  matchPath(resource.obj, null, splitPath(fieldPath), create, targets, origin);
  if (targets.length === 0) throw new BuildError(`unable to find ${create ? 'or create ' : ''}field "${fieldPath}" in replacement target`, origin);
  const delimiter = scalarText(member(options, 'delimiter'));
  const index = typeof member(options, 'index') === 'number' ? (member(options, 'index') as number) : 0;
  for (const slot of targets) {
    const current = slot.get();
    let value: Value = cloneValue(found.value);
    if (delimiter) {
      if (isContainer(current)) throw new BuildError('delimiter option can only be used with scalar nodes', origin);
      const parts = scalarText(current).split(delimiter);
      const v = scalarText(found.value);
      if (index < 0) parts.unshift(v);
      else if (index >= parts.length) parts.push(v);
      else parts[index] = v;
      value = parts.join(delimiter);
    }
    if (isContainer(current) || current === undefined || (slot.created && isContainer(value))) {
      slot.set(value, found.origin);
      continue;
    }
    // An existing scalar keeps its type: only its text changes; a created one is typed by its text.
    const text = isContainer(value) ? '' : scalarText(value);
    const typed = typeof current === 'string' && !slot.created ? text : resolvePlainScalar(text);
    slot.set(typed, found.origin);
  }
}

interface Slot {
  get(): Value | undefined;
  set(value: Value, origin: Origin): void;
  readonly created: boolean;
}

function slotOf(container: ValueMap | Value[], key: string | number, created: boolean): Slot {
  return {
    created,
    get: () => (container as Record<string | number, Value>)[key],
    set: (value, origin) => {
      if (isSeq(container)) {
        container[key as number] = value;
      } else setMember(container, key as string, value, isContainer(value) ? undefined : origin);
    },
  };
}

function emptyOf(kind: CreateKind | 'map' | 'seq'): Value {
  return kind === 'map' ? newMap() : kind === 'seq' ? newSeq() : '';
}

const isListIndex = (part: string) => part.startsWith('[') && part.endsWith(']');
const isIndex = (part: string) => /^\d+$/.test(part);
const kindForNext = (next: string | undefined, create: CreateKind): CreateKind | 'seq' | 'map' => (next === undefined ? create : isListIndex(next) || isIndex(next) ? 'seq' : 'map');

/**
 * kyaml's PathMatcher: collects the slots a target path reaches (`*` every element, `[k=regex]` matching
 * elements, indexes, fields), creating what is missing when `create` is set.
 */
function matchPath(node: Value, slot: Slot | null, parts: readonly string[], create: CreateKind, out: Slot[], origin: Origin, created = false): void {
  if (parts.length === 0) {
    if (slot) out.push(slot);
    return;
  }
  const [part, ...rest] = parts as [string, ...string[]];
  if (isIndex(part)) {
    if (!isSeq(node)) throw new BuildError(`wrong node kind: expected SequenceNode`, origin);
    const index = Number(part);
    if (node.length === index && create) seqPush(node, emptyOf(kindForNext(rest[0], create)));
    if (node.length < index + 1) throw new BuildError(`index ${index} specified but only ${node.length} elements found`, origin);
    matchPath(node[index]!, slotOf(node, index, created), rest, create, out, origin, created);
    return;
  }
  if (isListIndex(part)) {
    if (!isSeq(node)) throw new BuildError(`wrong node kind: expected SequenceNode`, origin);
    const [key, pattern] = splitIndex(part, origin);
    let regex: RE2JS;
    try {
      regex = RE2JS.compile(pattern);
    } catch (error) {
      throw new BuildError(`error parsing regexp: ${(error as Error).message}`, origin);
    }
    const matched = (list: Value[]) =>
      list
        .map((element, i) => ({ element, i }))
        .filter(({ element }) => (key === '' ? !isContainer(element) && element !== null && regex.test(scalarText(element)) : isMap(element) && member(element, key) !== undefined && member(element, key) !== null && regex.test(scalarText(member(element, key)))));
    let hits = matched(node);
    if (hits.length === 0 && create) {
      const element: Value = key === '' ? resolvePlainScalar(pattern) : Object.assign(newMap(), { [key]: resolvePlainScalar(pattern) });
      seqPush(node, element);
      hits = matched(node);
    }
    for (const { element, i } of hits) matchPath(element, slotOf(node, i, created), rest, create, out, origin, created);
    return;
  }
  if (part === '*') {
    if (!isSeq(node)) throw new BuildError(`wrong node kind: expected SequenceNode`, origin);
    node.forEach((element, i) => matchPath(element, slotOf(node, i, created), rest, create, out, origin, created));
    return;
  }
  if (node === null) return;
  if (!isMap(node)) throw new BuildError(`wrong node kind: expected MappingNode`, origin);
  let field = member(node, part);
  let made = created;
  if (field === undefined) {
    if (!create) return;
    field = emptyOf(kindForNext(rest[0], create));
    setMember(node, part, field);
    made = true;
  }
  // A scalar with more path below it (kustomize then looks into structured data in the string): no field here.
  if (!isContainer(field) && rest.length > 0) return;
  matchPath(field, slotOf(node, part, made), rest, create, out, origin, made);
}
