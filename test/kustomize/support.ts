/** Shared helpers of the kustomize tests: a reader over the disk or over in-memory files, the real kustomize binary, and object-set comparison. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KustomizeReader } from '../../server/src/kustomize/files';
import { valuesEqual, type Value, type ValueMap } from '../../server/src/kustomize/values';

export const projectRoot = resolve(__dirname, '../..');
export const reposDir = resolve(projectRoot, '../shared/fixtures/repos');
export const KUSTOMIZE_VERSION = 'v5.8.2';
export const kustomizeBinary = join(process.env.FLUX_GITOPS_CACHE || join(homedir(), '.cache', 'flux-gitops'), 'kustomize', KUSTOMIZE_VERSION, 'kustomize');

/** The disk, read as the language server would read saved files. */
export const diskReader: KustomizeReader = {
  readFile(file) {
    try {
      return statSync(file).isFile() ? readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  },
  readBytes(file) {
    try {
      return statSync(file).isFile() ? new Uint8Array(readFileSync(file)) : undefined;
    } catch {
      return undefined;
    }
  },
  readDir(dir) {
    try {
      const entries = readdirSync(dir, { withFileTypes: true });
      return { files: entries.filter((e) => e.isFile()).map((e) => e.name), dirs: entries.filter((e) => e.isDirectory()).map((e) => e.name) };
    } catch {
      return undefined;
    }
  },
};

/** A reader over in-memory files (absolute paths); folders are implied by the files under them. */
export function memoryReader(files: Record<string, string>): KustomizeReader {
  const dirs = new Map<string, { files: Set<string>; dirs: Set<string> }>();
  const entry = (dir: string) => {
    let found = dirs.get(dir);
    if (!found) dirs.set(dir, (found = { files: new Set(), dirs: new Set() }));
    return found;
  };
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') || '/';
      if (i === parts.length - 1) entry(dir).files.add(parts[i]!);
      else entry(dir).dirs.add(parts[i]!);
    }
  }
  return {
    readFile: (file) => (Object.prototype.hasOwnProperty.call(files, file) ? files[file] : undefined),
    readDir(dir) {
      const found = dirs.get(dir.length > 1 ? dir.replace(/\/$/, '') : dir);
      return found && { files: [...found.files], dirs: [...found.dirs] };
    },
  };
}

/** Every folder holding a kustomization file under `root`, sorted. */
export function kustomizationFolders(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(e.name))) found.push(dir);
    for (const e of entries) if (e.isDirectory() && e.name !== '.git') walk(join(dir, e.name));
  };
  walk(root);
  return found.sort();
}

export interface RealBuild {
  readonly ok: boolean;
  readonly objects: ValueMap[];
  readonly error: string;
}

/** `kustomize build` as Flux runs krusty: load restrictions off; no helm, no plugins. */
export function realKustomizeBuild(dir: string): RealBuild {
  try {
    const out = execFileSync(kustomizeBinary, ['build', '--load-restrictor', 'LoadRestrictionsNone', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, objects: parseObjects(out), error: '' };
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? (error as Error).message);
    // Warnings (deprecated fields) come first; the error is the rest, from its `Error:` line on.
    const at = stderr.indexOf('Error:');
    return { ok: false, objects: [], error: at >= 0 ? stderr.slice(at).trim() : stderr.trim() };
  }
}

export function parseObjects(text: string): ValueMap[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS({ maxAliasCount: -1 }) as Value)
    .filter((v): v is ValueMap => typeof v === 'object' && v !== null && !Array.isArray(v));
}

export const kustomizeAvailable = (): boolean => existsSync(kustomizeBinary);

/** Object identity as kustomize prints it: apiVersion, kind, namespace, name. */
export function identity(obj: ValueMap): string {
  const meta = (obj.metadata ?? {}) as ValueMap;
  return `${String(obj.apiVersion)} ${String(obj.kind)} ${String(meta.namespace ?? '')}/${String(meta.name ?? '')}`;
}

export interface SetComparison {
  readonly onlyOurs: string[];
  readonly onlyTheirs: string[];
  /** Identities present in both with different content, with the first differing path. */
  readonly different: { id: string; path: string }[];
}

/** Compares two object lists as sets keyed by identity (kustomize's CLI orders objects its own way). */
export function compareObjectSets(ours: readonly ValueMap[], theirs: readonly ValueMap[]): SetComparison {
  const group = (list: readonly ValueMap[]) => {
    const map = new Map<string, ValueMap[]>();
    for (const obj of list) map.set(identity(obj), [...(map.get(identity(obj)) ?? []), obj]);
    return map;
  };
  const a = group(ours);
  const b = group(theirs);
  const onlyOurs = [...a.keys()].filter((k) => !b.has(k));
  const onlyTheirs = [...b.keys()].filter((k) => !a.has(k));
  const different: { id: string; path: string }[] = [];
  for (const [id, list] of a) {
    const other = b.get(id);
    if (!other) continue;
    if (list.length !== other.length) different.push({ id, path: `(${list.length} vs ${other.length} objects)` });
    else list.forEach((obj, i) => !valuesEqual(obj, other[i]) && different.push({ id, path: firstDifference(obj, other[i]!) }));
  }
  return { onlyOurs, onlyTheirs, different };
}

/** The path of the first difference between two values (for messages). */
export function firstDifference(a: Value | undefined, b: Value | undefined, at = ''): string {
  if (valuesEqual(a, b)) return '';
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const inner = firstDifference((a as Record<string, Value>)[key], (b as Record<string, Value>)[key], `${at}/${key}`);
      if (inner) return inner;
    }
  }
  return `${at || '/'}: ${JSON.stringify(a)?.slice(0, 120)} != ${JSON.stringify(b)?.slice(0, 120)}`;
}

/** Strips the common indentation of a template literal's lines (and its first and last empty lines). */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').replace(/\n[ \t]*$/, '\n').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent)).join('\n');
}
