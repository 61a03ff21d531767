/**
 * What kustomize reads in one kustomization file, shared by everything that looks at them (the files a
 * Flux Kustomization applies, which files are patches, the kustomize checks): the file names kustomize
 * looks for, remote entries, and the patch files a kustomization names.
 */
import * as path from 'node:path';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(name: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name);
}

/** A remote resource (URL or Git shorthand): kustomize fetches it; nothing to check locally. */
export const isRemote = (entry: string): boolean => /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(entry) || entry.startsWith('git@');

export function kustomizationFileIn(tree: { isFile(file: string): boolean }, dir: string): string | undefined {
  return KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => tree.isFile(f));
}

export function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Patch file paths of a kustomization (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`). */
export function patchPaths(k: Record<string, unknown>): string[] {
  const fromObjects = (list: unknown): string[] =>
    Array.isArray(list) ? list.map((p) => (p as { path?: unknown } | null)?.path).filter((p): p is string => typeof p === 'string') : [];
  return [...fromObjects(k.patches), ...fromObjects(k.patchesJson6902), ...strings(k.patchesStrategicMerge).filter((p) => !p.includes('\n'))];
}

/**
 * Where a kustomization file naming `file` as a patch can be, nearest first: a kustomization file in its
 * folder or any folder above (kustomize reads a patch relative to the kustomization's own folder).
 */
export function kustomizationFilesAbove(file: string): { dir: string; file: string }[] {
  const found: { dir: string; file: string }[] = [];
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    for (const name of KUSTOMIZATION_FILE_NAMES) found.push({ dir, file: path.join(dir, name) });
    if (path.dirname(dir) === dir) return found;
  }
}
