/**
 * `kustomize build` of a folder, as kustomize v5.8 (krusty, load restrictions off, as Flux runs it):
 * resources (files and kustomization folders, each built on its own and merged), then the configuration,
 * generators, components (which transform everything accumulated so far), then the transformers in
 * kustomize's order; at the very end, hash suffixes on generated names, name references updated to the
 * final names, `config.kubernetes.io/local-config` objects dropped and annotations written as strings.
 * An error stops the build, as in kustomize, and is returned located on the text that causes it. What is
 * not supported (remote resources, helmCharts, plugins...) is left out and noted once per place.
 */
import * as path from 'node:path';
import { configurationOf } from './configurations';
import { isRemote, TrackingReader, type KustomizeReader } from './files';
import { emptyConfig, mergeConfigs, type TransformerConfig } from './fieldSpecs';
import { generate } from './generators';
import { contentHash } from './hash';
import { applyImagesField } from './images';
import { fieldOrigin, findKustomizationFile, parseKustomization, stringEntries, type Entry, type KustomizationFile } from './kustomizationFile';
import { applyCommonAnnotations, applyLabels } from './labels';
import { applyNameAffixes } from './nameAffixes';
import { fixNameReferences } from './nameReference';
import { applyNamespace } from './namespace';
import { applyJson6902PatchesField, applyPatchesField, applyStrategicMergePatchesField } from './patches';
import { BuildError, wholeFile, type BuildProblem, type UnsupportedNote } from './problems';
import { applyReplacements } from './replacements';
import { applyReplicas } from './replicas';
import { ResMap } from './resMap';
import type { Resource } from './resource';
import { resourcesFromText } from './resourceFiles';
import { BuildSession } from './session';
import { deleteMember, isContainer, isMap, member, memberOrigin, newMap, originOf, scalarText, setMember, type ValueMap } from './values';
import type { ParseCache } from './yamlValues';

export interface BuildResult {
  /** The objects kustomize would print (none when the build failed), with their origins. */
  readonly objects: readonly ValueMap[];
  /** The error that stopped the build (at most one, as kustomize stops at its first), then warnings. */
  readonly problems: readonly BuildProblem[];
  readonly unsupported: readonly UnsupportedNote[];
  /** Every file and folder the build looked at, found or not: an edit to any of them changes the build. */
  readonly inputs: ReadonlySet<string>;
}

export interface BuildOptions {
  /** Parses kept across builds (a language server keeps one); without it every build parses every file. */
  readonly cache?: ParseCache;
}

/** Builds the kustomization in `dir` (an absolute path). Never throws. */
export function kustomizeBuild(reader: KustomizeReader, dir: string, options: BuildOptions = {}): BuildResult {
  return runBuild(reader, options, (session) => {
    const file = findKustomizationFile(session.reader, dir);
    if (!file) {
      throw new BuildError(`unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`, wholeFile(dir));
    }
    return buildKustomization(session, parseKustomization(file, session.reader.readFile(file) ?? '', { strict: true, cache: session.cache }));
  });
}

/** Runs a build step with a fresh session, turning a build error into the result's problem. */
export function runBuild(reader: KustomizeReader, options: BuildOptions, build: (session: BuildSession) => readonly ValueMap[]): BuildResult {
  const session = new BuildSession(new TrackingReader(reader), options.cache);
  let objects: readonly ValueMap[] = [];
  const problems: BuildProblem[] = [];
  try {
    objects = build(session);
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    problems.push({ severity: 'error', message: error.message, origin: error.origin });
  }
  return { objects, problems: [...problems, ...session.warnings], unsupported: session.unsupported, inputs: session.reader.paths };
}

/** The whole build of one kustomization (the top one: its name references are fixed at the end). */
export function buildKustomization(session: BuildSession, k: KustomizationFile): ValueMap[] {
  const accumulated = accumulate(session, k, emptyAccumulator(), [k.dir]);
  for (const resource of accumulated.resources.list) {
    if (!resource.needsHashSuffix) continue;
    const hash = contentHash(resource.obj);
    resource.storePreviousId();
    resource.setName(`${resource.name}-${hash}`);
  }
  fixNameReferences(accumulated.resources, accumulated.config.nameReference);
  return accumulated.resources.list.filter((r) => !isLocalConfig(r)).map((r) => finalObject(r));
}

interface Accumulator {
  readonly resources: ResMap;
  config: TransformerConfig;
}

const emptyAccumulator = (): Accumulator => ({ resources: new ResMap(), config: emptyConfig() });

/** kustomize's accumulateTarget: `ra` is a new accumulator for a kustomization, the includer's for a component. */
function accumulate(session: BuildSession, k: KustomizationFile, ra: Accumulator, roots: readonly string[]): Accumulator {
  noteUnsupported(session, k);
  for (const entry of [...stringEntries(k.fields, 'resources'), ...stringEntries(k.fields, 'bases')]) addResource(session, k, ra, entry, roots);
  ra.config = mergeConfigs(ra.config, configurationOf(k, session));
  for (const generated of generate(k, session.reader)) ra.resources.absorb(generated, generated.origin);
  for (const entry of stringEntries(k.fields, 'components')) {
    if (isRemote(entry.value)) {
      session.leaveOut('remote component', `remote component "${entry.value}" is not fetched: its objects and patches are left out`, entry.origin);
      continue;
    }
    const component = loadFolder(session, k, entry, roots, 'component');
    if (!component.isComponent) {
      throw new BuildError(`accumulating components: expected kind 'Component' for path '${component.dir}' but got '${scalarText(member(component.fields, 'kind')) || 'Kustomization'}'`, entry.origin);
    }
    accumulate(session, component, ra, [...roots, component.dir]);
  }
  transform(session, k, ra);
  return ra;
}

function transform(session: BuildSession, k: KustomizationFile, ra: Accumulator): void {
  const resources = ra.resources;
  const config = ra.config;
  applyStrategicMergePatchesField(resources, k, session);
  applyPatchesField(resources, k, session);
  applyNamespace(resources, k, config);
  applyNameAffixes(resources, k, { prefix: config.namePrefix, suffix: config.nameSuffix });
  applyLabels(resources, k, config);
  applyCommonAnnotations(resources, k, config);
  applyJson6902PatchesField(resources, k, session);
  applyReplicas(resources, k, config.replicas);
  applyImagesField(resources, k, config.images);
  applyReplacements(resources, k, session);
}

function addResource(session: BuildSession, k: KustomizationFile, ra: Accumulator, entry: Entry, roots: readonly string[]): void {
  if (isRemote(entry.value)) {
    session.leaveOut('remote resource', `remote resource "${entry.value}" is not fetched: its objects are left out of this build`, entry.origin);
    return;
  }
  const target = path.resolve(k.dir, entry.value);
  const text = session.reader.readFile(target);
  if (text !== undefined) {
    ra.resources.appendAll(resourcesFromFile(session, target, text, entry.value), entry.origin);
    return;
  }
  if (!session.reader.isDir(target)) {
    throw new BuildError(`accumulating resources: accumulating resources from '${entry.value}': open ${target}: no such file or directory`, entry.origin);
  }
  const sub = loadFolder(session, k, entry, roots, 'resource');
  if (sub.isComponent) throw new BuildError(`accumulating resources: expected kind != 'Component' for path '${sub.dir}'`, entry.origin);
  const built = accumulate(session, sub, emptyAccumulator(), [...roots, sub.dir]);
  ra.resources.appendAll(built.resources.list, entry.origin);
  ra.config = mergeConfigs(ra.config, built.config);
}

function resourcesFromFile(session: BuildSession, file: string, text: string, entry: string): Resource[] {
  try {
    return resourcesFromText(file, text, { cache: session.cache });
  } catch (error) {
    if (error instanceof BuildError) throw new BuildError(`accumulating resources from '${entry}': ${error.message}`, error.origin);
    throw error;
  }
}

/** The kustomization of a folder named by a resource or component entry; refuses a folder that contains one being built. */
function loadFolder(session: BuildSession, k: KustomizationFile, entry: Entry, roots: readonly string[], what: 'resource' | 'component'): KustomizationFile {
  const dir = path.resolve(k.dir, entry.value);
  const prefix = what === 'resource' ? 'accumulating resources' : 'accumulating components';
  if (path.isAbsolute(entry.value)) throw new BuildError(`${prefix}: new root '${entry.value}' cannot be absolute`, entry.origin);
  if (entry.value.split('/').some((part) => part !== '' && part !== '.' && part !== '..' && part.includes('..'))) {
    throw new BuildError(`${prefix}: path "${entry.value}" is ambiguous: resolves to "${path.normalize(entry.value)}" after normalization`, entry.origin);
  }
  if (!session.reader.isDir(dir)) throw new BuildError(`${prefix}: must build at directory: not a valid directory: '${dir}' does not exist`, entry.origin);
  const containing = roots.find((root) => root === dir || root.startsWith(`${dir}${path.sep}`) || dir === path.sep);
  if (containing) throw new BuildError(`${prefix}: cycle detected: candidate root '${dir}' contains visited root '${containing}'`, entry.origin);
  const file = findKustomizationFile(session.reader, dir);
  if (!file) {
    throw new BuildError(`${prefix}: unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`, entry.origin);
  }
  return parseKustomization(file, session.reader.readFile(file) ?? '', { strict: true, cache: session.cache });
}

/** Fields this build does not implement: noted, and left out. */
function noteUnsupported(session: BuildSession, k: KustomizationFile): void {
  const note = (field: string, message: string) => {
    if (member(k.fields, field) !== undefined && member(k.fields, field) !== null) session.leaveOut(field, message, fieldOrigin(k.fields, field));
  };
  note('helmCharts', 'helmCharts are not inflated (kustomize needs --enable-helm, which Flux does not pass): their objects are left out');
  note('helmChartInflationGenerator', 'helmChartInflationGenerator is not run: its objects are left out');
  note('helmGlobals', 'helmGlobals are not used: helm charts are not inflated');
  note('generators', 'generator plugins are not run: their objects are left out');
  note('transformers', 'transformer plugins are not run: their changes are left out');
  note('validators', 'validator plugins are not run');
  note('vars', 'vars (deprecated) are not substituted');
  note('crds', 'crds (name reference configuration from CRD schemas) are not read');
  note('openapi', 'a custom openapi schema is not used for strategic merges');
  const buildMetadata = member(k.fields, 'buildMetadata');
  if (Array.isArray(buildMetadata) && buildMetadata.length > 0) note('buildMetadata', 'buildMetadata annotations and labels are not added');
}

function isLocalConfig(resource: Resource): boolean {
  const annotations = member(member(resource.obj, 'metadata'), 'annotations');
  const value = member(annotations, 'config.kubernetes.io/local-config');
  return value !== undefined && scalarText(value) !== 'false';
}

/** kustomize rewrites every object's annotations at the end: all strings, and no empty map. */
function finalObject(resource: Resource): ValueMap {
  const metadata = resource.metadata();
  const annotations = member(metadata, 'annotations');
  if (annotations === undefined) return resource.obj;
  if (!isMap(annotations) || Object.keys(annotations).length === 0) {
    deleteMember(metadata, 'annotations');
    return resource.obj;
  }
  const strings = newMap(originOf(annotations));
  for (const key of Object.keys(annotations)) {
    const value = annotations[key]!;
    setMember(strings, key, isContainer(value) ? '' : scalarText(value), memberOrigin(annotations, key));
  }
  setMember(metadata, 'annotations', strings);
  return resource.obj;
}
