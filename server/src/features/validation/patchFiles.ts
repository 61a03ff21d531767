import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { keyName } from '../../documents/nodes';
import { pathToUri, uriToPath } from '../../workspace/uri';
import type { FileRuleContext } from '../context';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
/** How many folders up a kustomization may sit relative to the patch it lists. */
const MAX_LEVELS_UP = 3;

/**
 * Whether the file is listed as a patch by a kustomize `kustomization.yaml` in its folder or a
 * parent (patches[].path, patchesStrategicMerge[], patchesJson6902[].path). Patches are partial
 * objects, so required fields are not checked in them.
 */
export function isKustomizePatch(ctx: FileRuleContext): boolean {
  const file = uriToPath(ctx.uri);
  if (!file) return false;
  let dir = path.dirname(file);
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    for (const name of KUSTOMIZATION_FILES) {
      const kustomization = ctx.fileAt(pathToUri(path.join(dir, name)));
      if (kustomization && patchPaths(kustomization.sections.map((s) => s.doc.contents as Node | null)).some((p) => path.resolve(dir, p) === file)) return true;
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return false;
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
