/**
 * Flux's ignore rules for the kustomization it generates (fluxcd/pkg/sourceignore over go-git's gitignore
 * patterns): the default exclusions (VCS files, images and archives, CI files, `.sops.yaml`...), every
 * `.sourceignore` below the folder (each scoped to its own folder) and the Kustomization's `spec.ignore`.
 * The last pattern that matches a path decides; `!` re-includes.
 */
import * as path from 'node:path';
import { RE2JS } from 're2js';
import type { KustomizeReader } from './files';

const DEFAULT_PATTERNS = [
  '.git/',
  '.gitignore',
  '.gitmodules',
  '.gitattributes',
  '*.jpg',
  '*.jpeg',
  '*.gif',
  '*.png',
  '*.wmv',
  '*.flv',
  '*.tar.gz',
  '*.zip',
  '.github/',
  '.circleci/',
  '.travis.yml',
  '.gitlab-ci.yml',
  'appveyor.yml',
  '.drone.yml',
  'cloudbuild.yaml',
  'codeship-services.yml',
  'codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];

interface Pattern {
  /** The folder the pattern applies below, as path parts. */
  readonly domain: readonly string[];
  readonly include: boolean;
  readonly dirOnly: boolean;
  /** A pattern with a `/` matches from its folder on; one without matches any path part. */
  readonly glob: boolean;
  readonly parts: readonly string[];
}

const splitPath = (p: string): string[] => p.split(path.sep);

function parsePattern(text: string, domain: readonly string[]): Pattern {
  let p = text;
  const include = p.startsWith('!');
  if (include) p = p.slice(1);
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '');
  const dirOnly = p.endsWith('/');
  if (dirOnly) p = p.slice(0, -1);
  return { domain, include, dirOnly, glob: p.includes('/'), parts: p.split('/') };
}

/** The patterns of a text (a `.sourceignore`, or spec.ignore): comments and blank lines skipped. */
function readPatterns(text: string, domain: readonly string[]): Pattern[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => !line.startsWith('#') && line.trim() !== '')
    .map((line) => parsePattern(line, domain));
}

export class IgnoreMatcher {
  private constructor(private readonly patterns: readonly Pattern[]) {}

  /** Flux's matcher for a Kustomization folder: defaults, `.sourceignore` files below it, spec.ignore. */
  static forFolder(reader: KustomizeReader, dir: string, specIgnore: string | undefined): IgnoreMatcher {
    const domain = splitPath(dir);
    const patterns = DEFAULT_PATTERNS.map((p) => parsePattern(p, domain));
    const load = (folder: string, folderDomain: readonly string[]) => {
      const text = reader.readFile(path.join(folder, '.sourceignore'));
      if (text !== undefined) patterns.push(...readPatterns(text, folderDomain));
      for (const sub of [...(reader.readDir(folder)?.dirs ?? [])].sort()) if (sub !== '.git') load(path.join(folder, sub), [...folderDomain, sub]);
    };
    load(dir, domain);
    if (specIgnore) patterns.push(...readPatterns(specIgnore, domain));
    return new IgnoreMatcher(patterns);
  }

  ignores(file: string, isDir: boolean): boolean {
    const parts = splitPath(file);
    for (let i = this.patterns.length - 1; i >= 0; i--) {
      const pattern = this.patterns[i]!;
      if (matches(pattern, parts, isDir)) return !pattern.include;
    }
    return false;
  }
}

function matches(pattern: Pattern, full: readonly string[], isDir: boolean): boolean {
  if (full.length <= pattern.domain.length || pattern.domain.some((d, i) => full[i] !== d)) return false;
  const rest = full.slice(pattern.domain.length);
  return pattern.glob ? globMatch(pattern, rest, isDir) : nameMatch(pattern, rest, isDir);
}

/** A pattern without `/`: any part of the path matches it (a directory-only one, not the file itself). */
function nameMatch(pattern: Pattern, parts: readonly string[], isDir: boolean): boolean {
  for (let i = 0; i < parts.length; i++) {
    if (!fileMatch(pattern.parts[0]!, parts[i]!)) continue;
    return !(pattern.dirOnly && !isDir && i === parts.length - 1);
  }
  return false;
}

/** go-git's glob match: parts in order from the pattern's folder, `**` spanning any number of folders. */
function globMatch(pattern: Pattern, parts: readonly string[], isDir: boolean): boolean {
  let rest = [...parts];
  let matched = false;
  let traverse = false;
  for (let i = 0; i < pattern.parts.length; i++) {
    const part = pattern.parts[i]!;
    if (part === '') {
      traverse = false;
      continue;
    }
    if (part === '**') {
      if (i === pattern.parts.length - 1) break;
      traverse = true;
      continue;
    }
    if (part.includes('**')) return false;
    if (rest.length === 0) return false;
    if (traverse) {
      traverse = false;
      while (rest.length > 0) {
        const element = rest.shift()!;
        if (fileMatch(part, element)) {
          matched = true;
          break;
        }
        if (rest.length === 0) matched = false;
      }
    } else {
      if (!fileMatch(part, rest[0]!)) return false;
      matched = true;
      rest = rest.slice(1);
    }
  }
  if (matched && pattern.dirOnly && !isDir && rest.length === 0) return false;
  return matched;
}

const compiled = new Map<string, RE2JS | null>();

/** Go's filepath.Match on one path part: `*`, `?`, `[...]` classes, `\` escapes; a bad pattern matches nothing. */
function fileMatch(glob: string, name: string): boolean {
  let regex = compiled.get(glob);
  if (regex === undefined) {
    regex = compileGlob(glob);
    compiled.set(glob, regex);
  }
  return regex !== null && regex.matches(name);
}

function compileGlob(glob: string): RE2JS | null {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= glob.length) return null;
      source += escape(glob[++i]!);
    } else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) return null;
      let cls = glob.slice(i + 1, end);
      const negated = cls.startsWith('^');
      if (negated) cls = cls.slice(1);
      source += `[${negated ? '^' : ''}${cls.replace(/\\(.)/g, (_m, ch: string) => escape(ch)).replace(/[[\]]/g, '\\$&')}]`;
      i = end;
    } else source += escape(c);
  }
  try {
    return RE2JS.compile(`^(?:${source})$`);
  } catch {
    return null;
  }
}

const escape = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
