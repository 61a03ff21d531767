/**
 * The three patch fields of a kustomization, as kustomize runs them (patchesStrategicMerge first, then
 * patches; patchesJson6902 later, after labels and annotations):
 * - `patches`: a patch (inline or from `path`) that is either strategic-merge or JSON 6902; with a
 *   `target` it applies to every selected object, a strategic-merge patch without one to the object of
 *   its own id; a JSON 6902 patch needs a target.
 * - `patchesStrategicMerge`: inline patches or files, each applied to the object of its id.
 * - `patchesJson6902`: JSON 6902 patches on a target, which must name an object.
 * A patch whose target selects nothing is accepted by kustomize; it is reported here as a warning.
 */
import * as path from 'node:path';
import { mapEntries, stringEntries, type Entry, type KustomizationFile } from './kustomizationFile';
import { applyJsonPatch, decodeJsonPatch, type JsonPatchOperation } from './jsonPatch';
import { BuildError, wholeFile } from './problems';
import type { ResMap } from './resMap';
import { idString, type Resource } from './resource';
import { resourcesFromText } from './resourceFiles';
import { SelectorMatcher, selectorFrom } from './selector';
import type { BuildSession } from './session';
import { strategicMerge } from './strategicMerge';
import { cloneValue, isMap, member, memberOrigin, newMap, scalarText, setMember, type Origin, type ValueMap } from './values';
import { embeddedOffsets, parseYamlDocuments, type ParseOptions } from './yamlValues';

/** A patch's text and how to point into it. */
interface PatchText {
  readonly file: string;
  readonly text: string;
  readonly mapOffset?: (offset: number) => number;
  /** kustomize's description in messages: `[patch: "..."]` or `[path: "..."]`. */
  readonly source: string;
  readonly origin: Origin;
}

type ParsedPatch = { readonly kind: 'strategic'; readonly patches: Resource[] } | { readonly kind: 'json'; readonly operations: JsonPatchOperation[] };

export function applyStrategicMergePatchesField(resources: ResMap, k: KustomizationFile, session: BuildSession): void {
  for (const entry of stringEntries(k.fields, 'patchesStrategicMerge')) {
    const patches = loadStrategicMergeEntry(entry, k, session);
    if (patches.length === 0) throw new BuildError(`patch appears to be empty; files=[${entry.value}], Patch=`, entry.origin);
    for (const patch of patches) {
      const target = targetOfPatch(resources, patch);
      applyToSelected(resources, [target], patch, { allowNameChange: false, allowKindChange: false });
    }
  }
}

/** An entry of patchesStrategicMerge is inline YAML when it parses as objects, else a file path. */
function loadStrategicMergeEntry(entry: Entry, k: KustomizationFile, session: BuildSession): Resource[] {
  try {
    return resourcesFromText(entry.origin.file, entry.value, { mapOffset: embeddedOffsets(session.reader.readFile(entry.origin.file) ?? '', entry.origin) });
  } catch {
    const file = path.resolve(k.dir, entry.value);
    const text = session.reader.readFile(file);
    if (text === undefined) throw new BuildError(`open ${file}: no such file or directory`, entry.origin);
    return resourcesFromText(file, text, { cache: session.cache });
  }
}

export function applyPatchesField(resources: ResMap, k: KustomizationFile, session: BuildSession): void {
  for (const entry of mapEntries(k.fields, 'patches')) {
    const text = patchText(entry, k.dir, session);
    const parsed = parsePatch(text, session);
    const targetMap = member(entry.value, 'target');
    const options = member(entry.value, 'options');
    const allow = { allowNameChange: member(options, 'allowNameChange') === true, allowKindChange: member(options, 'allowKindChange') === true };
    if (parsed.kind === 'strategic') {
      if (parsed.patches.length === 0) continue;
      if (isMap(targetMap)) {
        if (parsed.patches.length > 1) {
          throw new BuildError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${text.source}`, entry.origin);
        }
        const selected = select(resources, targetMap, entry, session);
        applyToSelected(resources, selected, parsed.patches[0]!, allow);
      } else {
        for (const patch of parsed.patches) applyByOwnId(resources, targetOfPatch(resources, patch), patch, allow);
      }
    } else {
      if (!isMap(targetMap)) throw new BuildError(`must specify a target for JSON patch ${text.source}`, entry.origin);
      for (const resource of select(resources, targetMap, entry, session)) {
        resource.storePreviousId();
        applyJsonPatch(resource.obj, parsed.operations);
      }
    }
  }
}

export function applyJson6902PatchesField(resources: ResMap, k: KustomizationFile, session: BuildSession): void {
  for (const entry of mapEntries(k.fields, 'patchesJson6902')) {
    const targetMap = member(entry.value, 'target');
    if (!isMap(targetMap) || !scalarText(member(targetMap, 'name'))) throw new BuildError('must specify the target name', entry.origin);
    const inline = scalarText(member(entry.value, 'patch'));
    const file = scalarText(member(entry.value, 'path'));
    if (!inline && !file) throw new BuildError('empty file path and empty jsonOp', entry.origin);
    if (inline && file) throw new BuildError('must specify a file path or jsonOp, not both', entry.origin);
    const text = patchText(entry, k.dir, session);
    if (text.text === '') throw new BuildError(`patch file '${file}' empty seems to be empty`, entry.origin);
    const operations = parseJsonPatch(text, session);
    if (operations.length === 0) throw new BuildError(`patch appears to be empty; file=${file}, JsonOp=${text.text}`, entry.origin);
    for (const resource of select(resources, targetMap, entry, session)) applyJsonPatch(resource.obj, operations);
  }
}

/**
 * A patch entry's text: inline (parsed with origins in the file it is written in, a kustomization file or
 * the Flux Kustomization whose spec.patches Flux writes into the kustomization) or from `path`.
 */
function patchText(entry: Entry<ValueMap>, dir: string, session: BuildSession): PatchText {
  const inline = member(entry.value, 'patch');
  const patchPath = scalarText(member(entry.value, 'path'));
  const inlineText = typeof inline === 'string' ? inline.trim() : '';
  if (inlineText === '' && patchPath === '') throw new BuildError(`must specify one of patch and path in\n${describeEntry(entry.value)}`, entry.origin);
  if (inlineText !== '' && patchPath !== '') throw new BuildError(`patch and path can't be set at the same time\n${describeEntry(entry.value)}`, entry.origin);
  if (inlineText !== '') {
    const origin = memberOrigin(entry.value, 'patch') ?? entry.origin;
    const toFile = embeddedOffsets(session.reader.readFile(origin.file) ?? '', origin);
    const lead = (inline as string).length - (inline as string).trimStart().length;
    return { file: origin.file, text: inlineText, mapOffset: (offset) => toFile(offset + lead), source: `[patch: ${JSON.stringify(inlineText)}]`, origin };
  }
  const patchFile = path.resolve(dir, patchPath);
  const text = session.reader.readFile(patchFile);
  const origin = memberOrigin(entry.value, 'path') ?? entry.origin;
  if (text === undefined) {
    throw new BuildError(`failed to get the patch file from path(${patchPath}): open ${patchFile}: no such file or directory`, origin);
  }
  return { file: patchFile, text, source: `[path: ${JSON.stringify(patchPath)}]`, origin: wholeFile(patchFile) };
}

function describeEntry(entry: ValueMap): string {
  return Object.keys(entry)
    .map((key) => `${key}: ${typeof entry[key] === 'object' ? '...' : scalarText(entry[key])}`)
    .join('\n');
}

/** Strategic-merge or JSON 6902: whichever the text parses as (both, or neither, is an error). */
function parsePatch(text: PatchText, session: BuildSession): ParsedPatch {
  const options: ParseOptions = text.mapOffset ? { mapOffset: text.mapOffset } : { cache: session.cache };
  let strategic: Resource[] | undefined;
  let json: JsonPatchOperation[] | undefined;
  try {
    strategic = resourcesFromText(text.file, text.text, options);
  } catch {
    strategic = undefined;
  }
  try {
    json = parseJsonPatch(text, session);
  } catch {
    json = undefined;
  }
  if (strategic && json && strategic.length > 0 && json.length > 0) throw new BuildError(`illegally qualifies as both an SM and JSON patch: ${text.source}`, text.origin);
  if (strategic) return { kind: 'strategic', patches: strategic };
  if (json) return { kind: 'json', operations: json };
  // Neither: report why, from the parse that explains more (a syntax error first).
  const syntax = parseYamlDocuments(text.file, text.text, options).problem;
  throw new BuildError(`unable to parse SM or JSON patch from ${text.source}${syntax ? `: ${syntax.message}` : ''}`, syntax?.origin ?? text.origin);
}

/** A JSON 6902 patch from JSON or YAML text (read as YAML 1.1, as kustomize converts it to JSON). */
function parseJsonPatch(text: PatchText, session: BuildSession): JsonPatchOperation[] {
  const parsed = parseYamlDocuments(text.file, text.text, { yaml11: true, ...(text.mapOffset ? { mapOffset: text.mapOffset } : { cache: session.cache }) });
  if (parsed.problem) throw new BuildError(parsed.problem.message, parsed.problem.origin);
  const first = parsed.documents[0]?.value;
  if (first === undefined || first === null) return [];
  return decodeJsonPatch(first, parsed.documents[0]!.origin);
}

function select(resources: ResMap, targetMap: ValueMap, entry: Entry<ValueMap>, session: BuildSession): Resource[] {
  const origin = memberOrigin(entry.value, 'target') ?? entry.origin;
  const matcher = new SelectorMatcher(selectorFrom(targetMap), origin);
  const selected = resources.list.filter((r) => matcher.matches(r));
  if (selected.length === 0) session.warn('patch target matches no resource: kustomize applies this patch to nothing', origin);
  return selected;
}

/** The one object a target-less strategic-merge patch applies to: the one with its id (current or previous). */
function targetOfPatch(resources: ResMap, patch: Resource): Resource {
  const id = patch.orgId();
  const matches = resources.matchingAny(id);
  if (matches.length === 1) return matches[0]!;
  const text = idString(id);
  const reason = matches.length > 1 ? `multiple matches for Id ${text}` : `no matches for Id ${text}`;
  throw new BuildError(`no resource matches strategic merge patch "${text}": ${reason}; failed to find unique target for patch ${text}`, patch.origin);
}

interface ChangeOptions {
  readonly allowNameChange: boolean;
  readonly allowKindChange: boolean;
}

/**
 * Applies a strategic-merge patch to each selected object through a copy of the patch that takes the
 * object's apiVersion (kustomize's ResMap.ApplySmPatch); objects the patch deletes leave the map.
 */
function applyToSelected(resources: ResMap, selected: readonly Resource[], patch: Resource, options: ChangeOptions): void {
  for (const resource of selected) {
    const copy = cloneValue(patch.obj);
    normaliseStringMaps(copy);
    setMember(copy, 'apiVersion', resource.apiVersion, memberOrigin(patch.obj, 'apiVersion'));
    const patched = applyOne(resource, copy, patch.origin, options);
    if (!patched) resources.remove(resource);
  }
}

/** A target-less `patches` entry patches the object of its id directly (no copy of the patch). */
function applyByOwnId(resources: ResMap, resource: Resource, patch: Resource, options: ChangeOptions): void {
  if (!applyOne(resource, patch.obj, patch.origin, options)) resources.remove(resource);
}

/** Merges and restores what the patch may not change (name, kind unless allowed; namespace always). */
function applyOne(resource: Resource, patch: ValueMap, origin: Origin, options: ChangeOptions): boolean {
  const { name, namespace, kind } = { name: resource.name, namespace: resource.namespace, kind: resource.kind };
  if (options.allowNameChange || options.allowKindChange) resource.storePreviousId();
  const merged = strategicMerge(resource.obj, patch, origin);
  if (!merged || Object.keys(merged).length === 0) return false;
  resource.obj = merged;
  if (!options.allowKindChange) setMember(resource.obj, 'kind', kind, memberOrigin(resource.obj, 'kind'));
  if (!options.allowNameChange) resource.setName(name, memberOrigin(resource.metadata(), 'name'));
  resource.setNamespace(namespace, memberOrigin(resource.metadata(), 'namespace'));
  return true;
}

/** kustomize rewrites a patch copy's labels and annotations as strings, dropping empty maps. */
function normaliseStringMaps(obj: ValueMap): void {
  const metadata = member(obj, 'metadata');
  if (!isMap(metadata)) return;
  for (const field of ['labels', 'annotations'] as const) {
    const map = member(metadata, field);
    if (map === undefined) continue;
    if (!isMap(map) || Object.keys(map).length === 0) {
      delete metadata[field];
      continue;
    }
    const strings = newMap(memberOrigin(metadata, field));
    for (const key of Object.keys(map)) setMember(strings, key, scalarText(map[key]), memberOrigin(map, key));
    setMember(metadata, field, strings);
  }
}
