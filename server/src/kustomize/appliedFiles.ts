/**
 * Which files a Flux Kustomization applies: `spec.path` (relative to the source root), then the
 * `kustomization.yaml` tree below it (`resources`, `components`, `bases`: files and folders).
 * When spec.path has no kustomization file, kustomize-controller generates one listing every
 * YAML file below it, and every sub-folder holding a kustomization file as one resource.
 */
import * as path from 'node:path';
import { isRemote, kustomizationFileIn, patchPaths, strings } from './files';

/** What the resolver reads; synchronous so it can run inside validation. Paths are absolute. */
export interface KustomizeTree {
  isDirectory(dir: string): boolean;
  isFile(file: string): boolean;
  /** Names of the files and sub-folders of a folder. */
  list(dir: string): { readonly files: readonly string[]; readonly dirs: readonly string[] };
  /** A kustomization file as plain values (undefined when unreadable). */
  readKustomization(file: string): unknown;
}

export interface AppliedFile {
  readonly file: string;
  /** The `namespace:` of the outermost kustomization file that sets one (it overrides inner ones). */
  readonly namespace?: string;
}

export interface KustomizeProblem {
  /** The kustomization file (or folder) the problem is in. */
  readonly file: string;
  /** The resource entry that failed. */
  readonly entry?: string;
  readonly message: string;
}

export interface KustomizeResult {
  readonly files: readonly AppliedFile[];
  /** Every kustomization file read on the way. */
  readonly kustomizationFiles: readonly string[];
  /** Patch files referenced by kustomization files (read by kustomize, not applied as objects). */
  readonly patchFiles: readonly string[];
  readonly problems: readonly KustomizeProblem[];
}

const isYaml = (name: string): boolean => name.endsWith('.yaml') || name.endsWith('.yml');

class Resolver {
  readonly files = new Map<string, AppliedFile>();
  readonly kustomizationFiles: string[] = [];
  readonly patchFiles: string[] = [];
  readonly problems: KustomizeProblem[] = [];
  private readonly visiting = new Set<string>();

  constructor(private readonly tree: KustomizeTree) {}

  private add(file: string, namespace: string | undefined): void {
    if (!this.files.has(file)) this.files.set(file, { file, ...(namespace !== undefined ? { namespace } : {}) });
  }

  /** A folder named as a resource: it must hold a kustomization file. */
  directory(dir: string, namespace: string | undefined, from: string, entry: string): void {
    const kfile = kustomizationFileIn(this.tree, dir);
    if (!kfile) {
      this.problems.push({ file: from, entry, message: `"${entry}" has no kustomization.yaml: kustomize cannot build it` });
      return;
    }
    this.kustomization(kfile, namespace);
  }

  kustomization(kfile: string, outerNamespace: string | undefined): void {
    if (this.visiting.has(kfile)) {
      this.problems.push({ file: kfile, message: 'kustomization files include each other in a cycle' });
      return;
    }
    this.visiting.add(kfile);
    this.kustomizationFiles.push(kfile);
    const dir = path.dirname(kfile);
    const value = this.tree.readKustomization(kfile);
    const k = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const namespace = outerNamespace ?? (typeof k.namespace === 'string' ? k.namespace : undefined);
    for (const entry of [...strings(k.resources), ...strings(k.bases), ...strings(k.components), ...strings(k.crds)]) {
      if (isRemote(entry)) continue;
      const target = path.join(dir, entry);
      if (this.tree.isFile(target)) this.add(target, namespace);
      else if (this.tree.isDirectory(target)) this.directory(target, namespace, kfile, entry);
      else this.problems.push({ file: kfile, entry, message: `"${entry}" does not exist` });
    }
    for (const entry of patchPaths(k)) {
      const target = path.join(dir, entry);
      if (this.tree.isFile(target)) this.patchFiles.push(target);
      else this.problems.push({ file: kfile, entry, message: `patch "${entry}" does not exist` });
    }
    this.visiting.delete(kfile);
  }

  /** What kustomize-controller generates for a folder without a kustomization file. */
  generated(dir: string): void {
    const { files, dirs } = this.tree.list(dir);
    for (const name of [...files].sort()) if (isYaml(name)) this.add(path.join(dir, name), undefined);
    for (const name of [...dirs].sort()) {
      const sub = path.join(dir, name);
      const kfile = kustomizationFileIn(this.tree, sub);
      if (kfile) this.kustomization(kfile, undefined);
      else this.generated(sub);
    }
  }
}

/** Resolves the files applied from folder `root` (the Kustomization's spec.path, made absolute). */
export function appliedFiles(tree: KustomizeTree, root: string): KustomizeResult {
  const resolver = new Resolver(tree);
  if (!tree.isDirectory(root)) {
    resolver.problems.push({ file: root, message: 'folder does not exist' });
  } else {
    const kfile = kustomizationFileIn(tree, root);
    if (kfile) resolver.kustomization(kfile, undefined);
    else resolver.generated(root);
  }
  return {
    files: [...resolver.files.values()],
    kustomizationFiles: resolver.kustomizationFiles,
    patchFiles: resolver.patchFiles,
    problems: resolver.problems,
  };
}

/**
 * A `spec.path` / `update.path` as Flux reads it, relative to the source root: `./`, `/` and
 * trailing `/` dropped. `(?<!\/)`: only a run's first slash can start the match, else every slash
 * of a long run would rescan the rest of it.
 */
export function normaliseSourcePath(specPath: string | undefined): string {
  return (specPath ?? '').replace(/^\.?\/+/, '').replace(/(?<!\/)\/+$/, '');
}

/** A KustomizeTree over a list of known files (absolute paths) and a reader for their content. */
export function treeOfFiles(files: Iterable<string>, read: (file: string) => unknown): KustomizeTree {
  const fileSet = new Set<string>();
  const children = new Map<string, { files: Set<string>; dirs: Set<string> }>();
  const entry = (dir: string) => {
    let e = children.get(dir);
    if (!e) children.set(dir, (e = { files: new Set(), dirs: new Set() }));
    return e;
  };
  for (const file of files) {
    fileSet.add(file);
    let child = file;
    let dir = path.dirname(file);
    entry(dir).files.add(path.basename(file));
    while (dir !== child) {
      const parent = path.dirname(dir);
      if (parent === dir) break;
      const e = entry(parent);
      if (e.dirs.has(path.basename(dir))) break;
      e.dirs.add(path.basename(dir));
      child = dir;
      dir = parent;
    }
  }
  return {
    isDirectory: (dir) => children.has(path.resolve(dir)),
    isFile: (file) => fileSet.has(path.resolve(file)),
    list: (dir) => {
      const e = children.get(path.resolve(dir));
      return { files: e ? [...e.files] : [], dirs: e ? [...e.dirs] : [] };
    },
    readKustomization: read,
  };
}
