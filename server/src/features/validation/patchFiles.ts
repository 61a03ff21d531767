import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyName } from '../../documents/nodes';
import { pathToUri, uriToPath } from '../../workspace/uri';
import type { YamlFile } from '../../documents/yamlFile';
import type { FileRuleContext } from '../context';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** How many folders up a kustomization may sit relative to the patch it lists. */
const MAX_LEVELS_UP = 3;

/** Per file URI, the URIs where a kustomization listing it as a patch could be (pure, so memoised). */
const candidatesByUri = new Map<string, { dir: string; uri: string }[]>();
/** Per parsed kustomization file, the absolute paths of the patches it lists. */
const patchesByFile = new WeakMap<YamlFile, ReadonlySet<string>>();

/**
 * Whether the file is listed as a patch by a kustomize `kustomization.yaml` in its folder or a
 * parent (patches[].path, patchesStrategicMerge[], patchesJson6902[].path). Patches are partial
 * objects, so required fields are not checked in them. Records a dependency on each candidate.
 */
export function isKustomizePatch(ctx: FileRuleContext): boolean {
  const file = uriToPath(ctx.uri);
  if (!file) return false;
  for (const candidate of candidates(ctx.uri, file)) {
    const kustomization = ctx.fileAt(candidate.uri);
    if (kustomization && patchesOf(kustomization, candidate.dir).has(file)) return true;
  }
  return false;
}

function candidates(uri: string, file: string): { dir: string; uri: string }[] {
  let list = candidatesByUri.get(uri);
  if (!list) {
    list = [];
    let dir = path.dirname(file);
    for (let level = 0; level <= MAX_LEVELS_UP; level++) {
      for (const name of KUSTOMIZATION_FILES) list.push({ dir, uri: pathToUri(path.join(dir, name)) });
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    candidatesByUri.set(uri, list);
  }
  return list;
}

function patchesOf(kustomization: YamlFile, dir: string): ReadonlySet<string> {
  let patches = patchesByFile.get(kustomization);
  if (!patches) {
    patches = new Set(patchPaths(kustomization.sections.map((s) => s.doc.contents as Node | null)).map((p) => path.resolve(dir, p)));
    patchesByFile.set(kustomization, patches);
  }
  return patches;
}
function patchPaths(roots: readonly (Node | null)[]): string[] {
  const paths: string[] = [];
  const str = (n: unknown): string | undefined => (isScalar(n) && typeof n.value === 'string' ? n.value : undefined);
  for (const root of roots) {
    if (!isMap(root)) continue;
    for (const pair of root.items) {
      const key = keyName(pair);
      if (!isSeq(pair.value)) continue;
      for (const item of pair.value.items) {
        if (key === 'patchesStrategicMerge') {
          const p = str(item);
          if (p) paths.push(p);
        } else if ((key === 'patches' || key === 'patchesJson6902') && isMap(item)) {
          const p = str(item.items.find((i) => keyName(i) === 'path')?.value);
          if (p) paths.push(p);
        }
      }
    }
  }
  return paths;
}
