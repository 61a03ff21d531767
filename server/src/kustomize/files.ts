/**
 * What a build reads, injected so that unsaved editor buffers are what gets built: the text of a file and
 * the entries of a folder, by absolute path, synchronously (a build is short CPU work over text already in
 * memory). Every path read is recorded, so a caller knows which edits invalidate a build. Also what the
 * file-level views share with it: kustomization file names, remote entries, patch paths.
 */
import * as path from 'node:path';

export interface KustomizeReader {
  /** The file's text, or undefined when there is no such file. */
  readFile(file: string): string | undefined;
  /** The names of a folder's files and sub-folders, or undefined when it is not a folder. */
  readDir(dir: string): { readonly files: readonly string[]; readonly dirs: readonly string[] } | undefined;
  /**
   * The file's bytes, when the reader can tell them: generator files that are not UTF-8 go to a
   * ConfigMap's binaryData. Without it, every file is text.
   */
  readBytes?(file: string): Uint8Array | undefined;
}

/** The file names kustomize looks for in a folder, in its order. */
export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

export function isKustomizationFileName(name: string): boolean {
  return (KUSTOMIZATION_FILE_NAMES as readonly string[]).includes(name);
}

/** A reader that records every path it was asked about (found or not). */
export class TrackingReader implements KustomizeReader {
  readonly paths = new Set<string>();
  constructor(private readonly inner: KustomizeReader) {}

  readFile(file: string): string | undefined {
    this.paths.add(file);
    return this.inner.readFile(file);
  }

  readDir(dir: string): { readonly files: readonly string[]; readonly dirs: readonly string[] } | undefined {
    this.paths.add(dir);
    return this.inner.readDir(dir);
  }

  readBytes(file: string): Uint8Array | undefined {
    this.paths.add(file);
    return this.inner.readBytes?.(file);
  }

  isDir(dir: string): boolean {
    return this.readDir(dir) !== undefined;
  }
}

/** A remote resource (URL or Git shorthand, `git::` and `github.com:` forms too): kustomize would clone or download it. */
export function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/.test(entry) || entry.startsWith('git@') || /^git::/.test(entry);
}

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
