/**
 * What a build reads, injected so that unsaved editor buffers are what gets built: the text of a file and
 * the entries of a folder, by absolute path, synchronously (a build is short CPU work over text already in
 * memory). Every path read is recorded, so a caller knows which edits invalidate a build.
 */
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

/** The file names kustomize looks for in a folder, in its order (shared with the file-level resolver). */
export { KUSTOMIZATION_FILE_NAMES } from '../flux/kustomize';

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

/**
 * A remote resource (URL or Git shorthand): kustomize would clone or download it. Wider than the file-level
 * resolver's test (server/src/flux/kustomize.ts): `git::` and `github.com:` forms too.
 */
export function isRemote(entry: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || /^(github\.com|gitlab\.com|bitbucket\.org)[/:]/.test(entry) || entry.startsWith('git@') || /^git::/.test(entry);
}
