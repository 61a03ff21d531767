/**
 * What kustomize-controller builds for a Flux Kustomization (fluxcd/pkg/kustomize's Generator, then
 * kustomize): in spec.path, the kustomization file (its unknown fields dropped, its resources and
 * components filtered by the ignore rules) or, without one, a generated kustomization listing every YAML
 * manifest below (a sub-folder with its own kustomization file counts as one resource); into it Flux
 * writes `targetNamespace` (as namespace), namePrefix, nameSuffix, patches (appended), components
 * (appended, missing ones skipped with ignoreMissingComponents) and images (merged by name). After the
 * build: the post-build hook (substitution is done by the caller), then commonMetadata.
 */
import * as path from 'node:path';
import { runBuild, buildKustomization, type BuildResult } from './build';
import { isRemote, type KustomizeReader } from './files';
import { findKustomizationFile, parseKustomization, KUSTOMIZATION_KIND, type KustomizationFile } from './kustomizationFile';
import { BuildError, wholeFile } from './problems';
import { resourcesFromText } from './resourceFiles';
import type { BuildSession } from './session';
import { IgnoreMatcher } from './sourceIgnore';
import type { ParseCache } from './yamlValues';
import { cloneValue, hasMember, isMap, isSeq, member, memberOrigin, newMap, newSeq, originOf, scalarText, seqPush, setMember, type Origin, type Value, type ValueMap } from './values';

export interface FluxBuildOptions {
  /** Absolute path of the source artifact's root (spec.path is relative to it). */
  readonly sourceRoot: string;
  /** The Flux Kustomization object (kustomize.toolkit.fluxcd.io), as built values with origins. */
  readonly kustomization: ValueMap;
  /**
   * Runs on the built objects before commonMetadata, as kustomize-controller's post-build substitution
   * does; returns the objects to keep.
   */
  readonly postBuild?: (objects: ValueMap[], session: BuildSession) => ValueMap[];
  /** Parses kept across builds. */
  readonly cache?: ParseCache;
}

/** The objects Flux would apply for a Flux Kustomization (before server-side apply). Never throws. */
export function fluxBuild(reader: KustomizeReader, options: FluxBuildOptions): BuildResult {
  return runBuild(reader, options, (session) => {
    const spec = member(options.kustomization, 'spec');
    const dir = specFolder(options.sourceRoot, scalarText(member(spec, 'path')));
    const specOrigin = originOf(spec) ?? originOf(options.kustomization) ?? wholeFile(options.sourceRoot);
    if (!session.reader.isDir(dir)) {
      throw new BuildError(`kustomization path not found: stat ${dir}: no such file or directory`, memberOrigin(isMap(spec) ? spec : newMap(), 'path') ?? specOrigin);
    }
    const ignore = IgnoreMatcher.forFolder(session.reader, dir, typeof member(spec, 'ignore') === 'string' ? (member(spec, 'ignore') as string) : undefined);
    const k = writeSpecInto(findOrGenerate(session, dir, ignore, specOrigin), isMap(spec) ? spec : newMap(), session);
    let objects = buildKustomization(session, k);
    if (options.postBuild) objects = options.postBuild(objects, session);
    applyCommonMetadata(objects, member(spec, 'commonMetadata'));
    return objects;
  });
}

/** spec.path joined to the source root, never leaving it (Flux joins it securely). */
export function specFolder(sourceRoot: string, specPath: string): string {
  const inside = path.posix.normalize(`/${specPath}`);
  return path.join(sourceRoot, inside);
}

/** The folder's kustomization as Flux reads it, or the one it generates. */
function findOrGenerate(session: BuildSession, dir: string, ignore: IgnoreMatcher, specOrigin: Origin): KustomizationFile {
  const existing = findKustomizationFile(session.reader, dir);
  if (existing) {
    const k = parseKustomization(existing, session.reader.readFile(existing) ?? '', {
      strict: false,
      cache: session.cache,
      dropped: (key, origin) => session.warn(`unknown field "${key}": Flux drops it (kustomize build would fail on it)`, origin),
    });
    if (scalarText(member(k.fields, 'kind')) === 'Component') throw new BuildError(`expected kind != 'Component' for path '${dir}'`, memberOrigin(k.fields, 'kind') ?? wholeFile(existing));
    filterIgnored(session, k, ignore);
    if (!isSeq(member(k.fields, 'resources')) || (member(k.fields, 'resources') as Value[]).length === 0) {
      session.leaveOut('buildMetadata', 'a kustomization without resources gets originAnnotations from Flux: config.kubernetes.io/origin annotations are not added here', memberOrigin(k.fields, 'kind') ?? wholeFile(existing));
    }
    return k;
  }
  const fields = newMap(specOrigin);
  setMember(fields, 'apiVersion', 'kustomize.config.k8s.io/v1beta1');
  setMember(fields, 'kind', KUSTOMIZATION_KIND);
  const resources = newSeq(specOrigin);
  for (const entry of scanManifests(session, dir, ignore)) seqPush(resources, entry.value, entry.origin);
  if (resources.length > 0) setMember(fields, 'resources', resources);
  // Flux gives a folder without manifests a placeholder namespace, so the kustomization is not empty.
  else setMember(fields, 'namespace', '_placeholder', specOrigin);
  return { file: path.join(dir, 'kustomization.yaml'), dir, isComponent: false, fields };
}

/** Every YAML manifest below `dir` in walk order, and every sub-folder holding a kustomization file (not entered). */
function scanManifests(session: BuildSession, dir: string, ignore: IgnoreMatcher): { value: string; origin: Origin }[] {
  const found: { value: string; origin: Origin }[] = [];
  const walk = (folder: string) => {
    const entries = session.reader.readDir(folder);
    if (!entries) return;
    const names = [...entries.files.map((name) => ({ name, dir: false })), ...entries.dirs.map((name) => ({ name, dir: true }))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const full = path.join(folder, entry.name);
      const relative = `./${path.relative(dir, full)}`;
      if (entry.dir) {
        if (findKustomizationFile(session.reader, full)) found.push({ value: relative, origin: wholeFile(full) });
        else walk(full);
        continue;
      }
      const extension = path.extname(entry.name);
      if (extension !== '.yaml' && extension !== '.yml') continue;
      if (ignore.ignores(full, false)) continue;
      const text = session.reader.readFile(full) ?? '';
      try {
        resourcesFromText(full, text, { cache: session.cache });
      } catch (error) {
        if (error instanceof BuildError) throw new BuildError(`failed to decode Kubernetes YAML from ${full}: ${error.message}`, error.origin);
        throw error;
      }
      found.push({ value: relative, origin: { file: full, start: 0, end: text.length } });
    }
  };
  walk(dir);
  return found;
}

/** Flux drops the resources and components of an existing kustomization that its ignore rules exclude. */
function filterIgnored(session: BuildSession, k: KustomizationFile, ignore: IgnoreMatcher): void {
  for (const field of ['resources', 'components', 'crds']) {
    const list = member(k.fields, field);
    if (!isSeq(list)) continue;
    const kept = newSeq(originOf(list));
    list.forEach((entry, i) => {
      const text = scalarText(entry);
      if (field === 'crds' || !isRemote(text)) {
        const target = path.join(k.dir, text);
        const isDir = session.reader.isDir(target);
        if (!isDir && session.reader.readFile(target) === undefined) throw new BuildError(`lstat ${target}: no such file or directory`, memberOrigin(list, i) ?? wholeFile(k.file));
        if (ignore.ignores(target, isDir)) return;
      }
      seqPush(kept, entry, memberOrigin(list, i));
    });
    setMember(k.fields, field, kept);
  }
}

/** Writes the Flux Kustomization's spec fields into the kustomization, each keeping the spec's origin. */
function writeSpecInto(k: KustomizationFile, spec: ValueMap, session: BuildSession): KustomizationFile {
  const fields = k.fields;
  const copyString = (from: string, to: string) => {
    const value = member(spec, from);
    if (typeof value === 'string') setMember(fields, to, value, memberOrigin(spec, from));
  };
  copyString('targetNamespace', 'namespace');
  copyString('namePrefix', 'namePrefix');
  copyString('nameSuffix', 'nameSuffix');
  const patches = member(spec, 'patches');
  if (isSeq(patches) && patches.length > 0) {
    const list = listField(fields, 'patches');
    for (const patch of patches) {
      if (!isMap(patch)) continue;
      const entry = newMap(originOf(patch));
      if (hasMember(patch, 'patch')) setMember(entry, 'patch', cloneValue(patch.patch!), memberOrigin(patch, 'patch'));
      if (isMap(member(patch, 'target'))) setMember(entry, 'target', cloneValue(patch.target!));
      seqPush(list, entry);
    }
  }
  const components = member(spec, 'components');
  if (isSeq(components) && components.length > 0) {
    const ignoreMissing = member(spec, 'ignoreMissingComponents') === true;
    const list = listField(fields, 'components');
    components.forEach((component, i) => {
      const text = scalarText(component);
      const origin = memberOrigin(components, i) ?? originOf(components)!;
      if (!isLocalRelativePath(text)) throw new BuildError(`component path '${text}' must be local and relative`, origin);
      const target = path.join(k.dir, text);
      if (ignoreMissing && !session.reader.isDir(target) && session.reader.readFile(target) === undefined) return;
      seqPush(list, text, origin);
    });
  }
  const images = member(spec, 'images');
  if (isSeq(images) && images.length > 0) {
    const list = listField(fields, 'images');
    for (const image of images) {
      if (!isMap(image)) continue;
      const name = scalarText(member(image, 'name'));
      const existing = list.find((e) => isMap(e) && scalarText(member(e, 'name')) === name) as ValueMap | undefined;
      if (existing) {
        if (scalarText(member(image, 'newName'))) setMember(existing, 'newName', scalarText(member(image, 'newName')), memberOrigin(image, 'newName'));
        if (scalarText(member(image, 'newTag')) || scalarText(member(image, 'digest'))) {
          setMember(existing, 'newTag', scalarText(member(image, 'newTag')), memberOrigin(image, 'newTag') ?? originOf(image));
          setMember(existing, 'digest', scalarText(member(image, 'digest')), memberOrigin(image, 'digest') ?? originOf(image));
        }
      } else {
        const entry = newMap(originOf(image));
        for (const key of ['name', 'newName', 'newTag', 'digest']) if (scalarText(member(image, key))) setMember(entry, key, scalarText(member(image, key)), memberOrigin(image, key));
        seqPush(list, entry);
      }
    }
  }
  for (const legacy of ['patchesStrategicMerge', 'patchesJson6902']) {
    if (isSeq(member(spec, legacy))) session.leaveOut(legacy, `spec.${legacy} (Flux's v1beta2 API) is not applied in this build`, memberOrigin(spec, legacy)!);
  }
  return k;
}

function listField(fields: ValueMap, key: string): Value[] {
  const existing = member(fields, key);
  if (isSeq(existing)) return existing;
  const created = newSeq();
  setMember(fields, key, created);
  return created;
}

/** fluxcd/pkg/kustomize's IsLocalRelativePath: no Git or HTTP URL, not absolute. */
function isLocalRelativePath(text: string): boolean {
  const lower = text.toLowerCase();
  for (const prefix of ['git::', 'gh:', 'ssh://', 'https://', 'http://', 'git@', 'github.com:', 'github.com/']) {
    if (prefix.length < text.length && lower.startsWith(prefix)) return false;
  }
  return !path.isAbsolute(text) && !path.isAbsolute(lower.replace(/^file:\/\//, ''));
}

/** spec.commonMetadata labels and annotations, set on every object (overriding the object's own). */
function applyCommonMetadata(objects: readonly ValueMap[], commonMetadata: Value | undefined): void {
  if (!isMap(commonMetadata)) return;
  for (const field of ['labels', 'annotations'] as const) {
    const pairs = member(commonMetadata, field);
    if (!isMap(pairs) || Object.keys(pairs).length === 0) continue;
    for (const obj of objects) {
      let metadata = member(obj, 'metadata');
      if (!isMap(metadata)) {
        metadata = newMap();
        setMember(obj, 'metadata', metadata);
      }
      let target = member(metadata, field);
      if (!isMap(target)) {
        target = newMap(originOf(pairs));
        setMember(metadata as ValueMap, field, target);
      }
      for (const key of Object.keys(pairs)) setMember(target as ValueMap, key, scalarText(pairs[key]), memberOrigin(pairs, key));
    }
  }
}
