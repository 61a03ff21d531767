import * as path from 'node:path';
import { sectionValue } from '../../documents/section';
import { kustomizationFilesAbove, patchPaths } from '../../kustomize/files';
import { pathToUri, uriToPath } from '../../workspace/uri';
import type { YamlFile } from '../../documents/yamlFile';
import type { FileRuleContext } from '../context';

/** Per parsed kustomization file, the absolute paths of the patches it lists (a parse is immutable). */
const patchesByFile = new WeakMap<YamlFile, ReadonlySet<string>>();

/**
 * Whether the file is listed as a patch by a kustomization file in its folder or a folder above
 * (patches[].path, patchesStrategicMerge[], patchesJson6902[].path). Patches are partial objects, so
 * required fields are not checked in them. Records a dependency on each candidate.
 */
export function isKustomizePatch(ctx: FileRuleContext): boolean {
  const file = uriToPath(ctx.uri);
  if (!file) return false;
  for (const candidate of kustomizationFilesAbove(file)) {
    const kustomization = ctx.fileAt(pathToUri(candidate.file));
    if (kustomization && patchesOf(kustomization, candidate.dir).has(file)) return true;
  }
  return false;
}

function patchesOf(kustomization: YamlFile, dir: string): ReadonlySet<string> {
  let patches = patchesByFile.get(kustomization);
  if (!patches) {
    const values = kustomization.sections.map(sectionValue);
    const listed = values.flatMap((v) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? patchPaths(v as Record<string, unknown>) : []));
    patches = new Set(listed.map((p) => path.resolve(dir, p)));
    patchesByFile.set(kustomization, patches);
  }
  return patches;
}
