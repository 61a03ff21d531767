/**
 * `configMapGenerator` and `secretGenerator`: ConfigMaps and Secrets made from env files, literals and
 * files (in that order), with the kustomization's `generatorOptions` merged into each entry's `options`
 * (the entry's labels and annotations win; disableNameSuffixHash and immutable if either sets them).
 * A generated object is marked for the content hash suffix, added at the end of the whole build.
 */
import * as path from 'node:path';
import type { KustomizeReader } from './files';
import { fieldOrigin, mapEntries, stringMap, type KustomizationFile } from './kustomizationFile';
import { BuildError } from './problems';
import { Resource, type GeneratorBehavior } from './resource';
import { isMap, member, memberOrigin, newMap, originOf, scalarText, setMember, type Origin, type Value, type ValueMap } from './values';

interface GeneratorOptions {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  disableNameSuffixHash: boolean;
  immutable: boolean;
}

interface Pair {
  readonly key: string;
  readonly value: string;
  readonly binary: boolean;
  readonly origin: Origin;
}

/** The objects of the kustomization's generators, ConfigMaps first. */
export function generate(k: KustomizationFile, reader: KustomizeReader): Resource[] {
  const global = member(k.fields, 'generatorOptions');
  const result: Resource[] = [];
  for (const kind of ['ConfigMap', 'Secret'] as const) {
    for (const entry of mapEntries(k.fields, kind === 'ConfigMap' ? 'configMapGenerator' : 'secretGenerator')) {
      result.push(generateOne(kind, entry.value, entry.origin, mergeOptions(member(entry.value, 'options'), global), k, reader));
    }
  }
  return result;
}

function mergeOptions(local: Value | undefined, global: Value | undefined): GeneratorOptions {
  const options: GeneratorOptions = {
    labels: stringMap(member(local, 'labels')),
    annotations: stringMap(member(local, 'annotations')),
    disableNameSuffixHash: member(local, 'disableNameSuffixHash') === true,
    immutable: member(local, 'immutable') === true,
  };
  if (isMap(global)) {
    for (const [key, value] of Object.entries(stringMap(member(global, 'labels')))) options.labels[key] ??= value;
    for (const [key, value] of Object.entries(stringMap(member(global, 'annotations')))) options.annotations[key] ??= value;
    options.disableNameSuffixHash ||= member(global, 'disableNameSuffixHash') === true;
    options.immutable ||= member(global, 'immutable') === true;
  }
  return options;
}

function generateOne(kind: 'ConfigMap' | 'Secret', args: ValueMap, origin: Origin, options: GeneratorOptions, k: KustomizationFile, reader: KustomizeReader): Resource {
  const name = scalarText(member(args, 'name'));
  if (!name) throw new BuildError('a configmap must have a name', origin);
  const obj = newMap(origin);
  setMember(obj, 'apiVersion', 'v1', origin);
  setMember(obj, 'kind', kind, origin);
  const metadata = newMap(origin);
  setMember(obj, 'metadata', metadata);
  setMember(metadata, 'name', name, memberOrigin(args, 'name'));
  const namespace = scalarText(member(args, 'namespace'));
  if (namespace) setMember(metadata, 'namespace', namespace, memberOrigin(args, 'namespace'));
  const optionsOrigin = memberOrigin(args, 'options') ?? fieldOrigin(k.fields, 'generatorOptions');
  for (const field of ['labels', 'annotations'] as const) {
    const entries = Object.entries(options[field]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) continue;
    const map = newMap(optionsOrigin);
    for (const [key, value] of entries) setMember(map, key, value, optionsOrigin);
    setMember(metadata, field, map);
  }
  if (kind === 'Secret') setMember(obj, 'type', scalarText(member(args, 'type')) || 'Opaque', memberOrigin(args, 'type') ?? origin);
  const pairs = loadPairs(args, name, k, reader);
  if (kind === 'Secret') {
    const data = newMap(origin);
    setMember(obj, 'data', data);
    for (const pair of sortedByKey(pairs)) setMember(data, pair.key, base64Lines(pair.value, pair.binary), pair.origin);
  } else {
    for (const pair of sortedByKey(pairs)) {
      const field = pair.binary ? 'binaryData' : 'data';
      let data = member(obj, field);
      if (!isMap(data)) {
        data = newMap(origin);
        setMember(obj, field, data);
      }
      setMember(data, pair.key, pair.binary ? base64Lines(pair.value, true) : pair.value, pair.origin);
    }
  }
  if (options.immutable) setMember(obj, 'immutable', true, optionsOrigin);
  const resource = new Resource(obj, origin);
  resource.needsHashSuffix = !options.disableNameSuffixHash;
  resource.behavior = behaviorOf(scalarText(member(args, 'behavior')));
  return resource;
}

function behaviorOf(text: string): GeneratorBehavior | undefined {
  return text === 'create' || text === 'merge' || text === 'replace' ? text : undefined;
}

const sortedByKey = (pairs: readonly Pair[]): Pair[] => [...pairs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Env files, then literals, then files; a key given twice is an error. */
function loadPairs(args: ValueMap, name: string, k: KustomizationFile, reader: KustomizeReader): Pair[] {
  const pairs: Pair[] = [];
  const list = (key: string): { text: string; origin: Origin }[] => {
    const value = member(args, key);
    if (!Array.isArray(value)) return [];
    return value.map((v, i) => ({ text: scalarText(v), origin: memberOrigin(value, i) ?? originOf(args)! }));
  };
  const envs = list('envs');
  const env = member(args, 'env');
  if (typeof env === 'string' && env !== '') envs.push({ text: env, origin: memberOrigin(args, 'env')! });
  for (const source of envs) pairs.push(...envPairs(readSource(reader, k.dir, source.text, source.origin, `env source files: [${source.text}]`)));
  for (const source of list('literals')) pairs.push(literalPair(source.text, source.origin));
  for (const source of list('files')) {
    const { key, file } = parseFileSource(source.text, source.origin);
    const content = readSource(reader, k.dir, file, source.origin, `file sources: [${source.text}]`);
    pairs.push({ key, value: content.text, binary: content.binary, origin: content.origin });
  }
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (seen.has(pair.key)) throw new BuildError(`configmap ${name} illegally repeats the key \`${pair.key}\``, pair.origin);
    seen.add(pair.key);
  }
  return pairs;
}

interface SourceText {
  readonly text: string;
  readonly binary: boolean;
  readonly origin: Origin;
}

function readSource(reader: KustomizeReader, dir: string, name: string, origin: Origin, context: string): SourceText {
  const file = path.resolve(dir, name);
  const bytes = reader.readBytes?.(file);
  const text = bytes ? undefined : reader.readFile(file);
  if (!bytes && text === undefined) throw new BuildError(`loading KV pairs: ${context}: open ${file}: no such file or directory`, origin);
  if (bytes) {
    const decoded = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    const valid = isUtf8(bytes);
    return { text: valid ? decoded : Buffer.from(bytes).toString('latin1'), binary: !valid, origin: { file, start: 0, end: decoded.length } };
  }
  return { text: text!, binary: false, origin: { file, start: 0, end: text!.length } };
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** `KEY=value` lines; blank lines and `#` comments skipped; a line without `=` is the key with an empty value. */
function envPairs(source: SourceText): Pair[] {
  const pairs: Pair[] = [];
  let offset = 0;
  const lines = source.text.split('\n');
  lines.forEach((raw, index) => {
    const lineStart = offset;
    offset += raw.length + 1;
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (index === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    line = line.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') return;
    pairs.push({ key, value: eq < 0 ? '' : line.slice(eq + 1), binary: false, origin: { file: source.origin.file, start: lineStart, end: lineStart + raw.length } });
  });
  return pairs;
}

function literalPair(source: string, origin: Origin): Pair {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new BuildError(`loading KV pairs: literal sources: invalid literal source ${source}, expected key=value`, origin);
  return { key: source.slice(0, eq), value: removeQuotes(source.slice(eq + 1)), binary: false, origin };
}

function removeQuotes(text: string): string {
  if (text.length < 2 || text[0] !== text[text.length - 1]) return text;
  return text[0] === '"' || text[0] === "'" ? text.slice(1, -1) : text;
}

/** `[key=]path`: the key defaults to the file's base name. */
function parseFileSource(source: string, origin: Origin): { key: string; file: string } {
  const separators = source.split('=').length - 1;
  const fail = (reason: string): never => {
    throw new BuildError(`loading KV pairs: file sources: [${source}]: ${reason}`, origin);
  };
  if (separators === 0) return { key: path.posix.basename(source), file: source };
  if (separators > 1) fail(`source "${source}" key name or file path contains '='`);
  if (source.startsWith('=')) fail(`missing key name for file path "${source.slice(1)}" in source "${source}"`);
  if (source.endsWith('=')) fail(`missing file path for key name "${source.slice(0, -1)}" in source "${source}"`);
  const [key, file] = source.split('=') as [string, string];
  return { key, file };
}

/** Base64 as kyaml writes it: lines of 70 characters, each ending in a newline, when longer than one line. */
function base64Lines(value: string, binary: boolean): string {
  const encoded = Buffer.from(value, binary ? 'latin1' : 'utf8').toString('base64');
  if (encoded.length < 70) return encoded;
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += 70) lines.push(encoded.slice(i, i + 70));
  return `${lines.join('\n')}\n`;
}
