/**
 * YAML text to build values, as kustomize reads it: every `---` document of a file, aliases expanded and
 * `<<` merge keys applied (kyaml's DeAnchor), plain scalars typed by go-yaml v3's rules (kustomize prints
 * each object through JSON, so `0755` is the number 493, `1_000` is 1000 and a plain `2024-01-02` is the
 * timestamp string `2024-01-02T00:00:00Z`). Every container keeps the file range of its node, and every
 * scalar the range of its own.
 */
import { isAlias, isMap as isYamlMap, isPair, isScalar, isSeq as isYamlSeq, type Document, type Node } from 'yaml';
import { parseSection } from '../documents/section';
import { splitSections } from '../documents/split';
import { cloneValue, hasMember, isContainer, newMap, newSeq, seqPush, setMember, type Origin, type Scalar, type Value, type ValueMap } from './values';

/** One `---` document of a file: its value (undefined when empty) and where it is. */
export interface YamlDocument {
  readonly value: Value | undefined;
  readonly origin: Origin;
}

interface YamlProblem {
  readonly origin: Origin;
  readonly message: string;
}

export interface ParsedYaml {
  readonly documents: readonly YamlDocument[];
  /** The first syntax error (kustomize stops at it), or a duplicate key. */
  readonly problem?: YamlProblem;
}

/** Bound on the nodes alias expansions may produce in a document (a "billion laughs" must not hang the build). */
const MAX_ALIASED_NODES = 100_000;

export interface ParseOptions {
  /**
   * YAML 1.1 typing of plain scalars (go-yaml v2, which kustomize uses to read kustomization files and JSON
   * patches): `yes`/`no`/`on`/`off` are booleans, timestamps stay strings.
   */
  readonly yaml11?: boolean;
  /**
   * Maps an offset of `text` to an offset of `file`, when `text` is a string value inside that file (an
   * inline patch): origins then point at the file.
   */
  readonly mapOffset?: (offset: number) => number;
  /** Parses of earlier builds, reused while a file's text is unchanged (not for inline texts). */
  readonly cache?: ParseCache;
}

/**
 * Parsed files by path, kept while their text stays the same: a language server rebuilding after an
 * edit re-parses only the edited file. Each use gets its own copy of the values (builds edit them).
 */
export class ParseCache {
  private readonly entries = new Map<string, { readonly text: string; readonly parsed: ParsedYaml }>();

  parse(file: string, text: string, options: ParseOptions): ParsedYaml {
    const key = options.yaml11 ? `${file}\0yaml11` : file;
    let entry = this.entries.get(key);
    if (!entry || entry.text !== text) {
      entry = { text, parsed: parseYamlDocuments(file, text, { ...options, cache: undefined }) };
      this.entries.set(key, entry);
    }
    const { documents, problem } = entry.parsed;
    return { documents: documents.map((d) => ({ value: d.value === undefined ? undefined : cloneValue(d.value), origin: d.origin })), ...(problem ? { problem } : {}) };
  }
}

export function parseYamlDocuments(file: string, text: string, options: ParseOptions = {}): ParsedYaml {
  if (options.cache && !options.mapOffset) return options.cache.parse(file, text, options);
  const documents: YamlDocument[] = [];
  const map = options.mapOffset ?? ((offset: number) => offset);
  for (const slice of splitSections(text)) {
    const section = parseSection(text.slice(slice.start, slice.end), 0, slice.start);
    const error = section.doc.errors[0];
    if (error) {
      // The range covers every error of the document: the parser reports a misplaced line where it
      // notices it, which may be the line before.
      const at = map(slice.start + error.pos[0]);
      const end = Math.max(...section.doc.errors.map((e) => map(slice.start + e.pos[1])));
      return { documents, problem: { origin: { file, start: at, end: Math.max(at, end) }, message: `MalformedYAMLError: ${firstLine(error.message)}` } };
    }
    const contents = section.doc.contents as Node | null;
    const converter = new Converter(file, slice.start, section.doc, section.text, !!options.yaml11, map);
    const origin = contents?.range ? converter.origin(contents.range) : { file, start: map(slice.start), end: map(slice.end) };
    const value = contents ? converter.convert(contents) : undefined;
    if (converter.problem) return { documents, problem: converter.problem };
    documents.push({ value: value ?? undefined, origin });
  }
  return { documents };
}

function firstLine(message: string): string {
  return message.split('\n')[0]!;
}

class Converter {
  problem: YamlProblem | undefined;
  /** Nodes converted through aliases so far, and how many alias expansions enclose the current node. */
  private aliased = 0;
  private aliasDepth = 0;

  constructor(
    private readonly file: string,
    private readonly offset: number,
    private readonly doc: Document.Parsed,
    private readonly text: string,
    private readonly yaml11: boolean,
    private readonly mapOffset: (offset: number) => number,
  ) {}

  private resolve(plain: string): Scalar {
    return this.yaml11 ? resolvePlainScalar11(plain) : resolvePlainScalar(plain);
  }

  origin(range: readonly number[]): Origin {
    return { file: this.file, start: this.mapOffset(this.offset + range[0]!), end: this.mapOffset(this.offset + range[1]!) };
  }

  convert(node: Node | null | undefined): Value {
    if (this.aliasDepth > 0 && ++this.aliased > MAX_ALIASED_NODES) {
      this.problem ??= { origin: this.origin(node?.range ?? [0, 0]), message: 'MalformedYAMLError: document expands to too many nodes through aliases' };
      return null;
    }
    if (!node) return null;
    if (isAlias(node)) {
      this.aliasDepth++;
      try {
        return this.convert(node.resolve(this.doc) as Node | undefined);
      } finally {
        this.aliasDepth--;
      }
    }
    if (isScalar(node)) return this.scalar(node);
    if (isYamlSeq(node)) {
      const seq = newSeq(node.range ? this.origin(node.range) : undefined);
      for (const item of node.items) {
        const value = this.convert(item as Node);
        // Containers carry their own origin; only scalars need one recorded beside them.
        seqPush(seq, value, isContainer(value) ? undefined : this.memberOrigin(item as Node));
      }
      return seq;
    }
    if (isYamlMap(node)) return this.mapping(node);
    return null;
  }

  private memberOrigin(node: Node | null | undefined): Origin | undefined {
    return node?.range ? this.origin(node.range) : undefined;
  }

  private mapping(node: Node & { items: unknown[] }): ValueMap {
    const map = newMap(node.range ? this.origin(node.range) : undefined);
    const merged: ValueMap[] = [];
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as Node | null;
      const valueNode = pair.value as Node | null;
      if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.value === '<<') {
        const source = this.convert(valueNode);
        for (const m of Array.isArray(source) ? source : [source]) if (m && typeof m === 'object' && !Array.isArray(m)) merged.push(m);
        continue;
      }
      const key = keyText(keyNode);
      // go-yaml v3 refuses a key given twice (kustomize fails on such an object); v2, which reads
      // kustomization files, keeps the last one.
      if (hasMember(map, key) && !this.yaml11) {
        this.problem ??= { origin: this.memberOrigin(keyNode) ?? this.origin(node.range!), message: `yaml: unmarshal errors: mapping key "${key}" already defined` };
      }
      const value = this.convert(valueNode);
      setMember(map, key, value, isContainer(value) ? undefined : (this.memberOrigin(valueNode) ?? this.memberOrigin(keyNode)));
    }
    // Merged maps fill only the keys the mapping does not set itself; earlier sources win.
    for (const source of merged) for (const key of Object.keys(source)) if (!hasMember(map, key)) setMember(map, key, source[key]!);
    return map;
  }

  private scalar(node: Node & { value: unknown; type?: string; tag?: string }): Scalar {
    const plain = node.type === 'PLAIN' || node.type === undefined;
    const source = typeof node.value === 'string' ? node.value : node.range ? this.text.slice(node.range[0], node.range[1]) : String(node.value);
    if ((node.type === 'BLOCK_FOLDED' || node.type === 'BLOCK_LITERAL') && typeof node.value === 'string') {
      // go-yaml keeps a block scalar's final line break only when the text has one: at the end of a text
      // without a final newline (an inline patch written `|-`, a file without one) there is none to keep.
      const atEndWithoutBreak = !!node.range && !this.text.endsWith('\n') && this.text.slice(node.range[1]).trim() === '';
      const value = atEndWithoutBreak && node.value.endsWith('\n') ? node.value.slice(0, -1) : node.value;
      return node.type === 'BLOCK_FOLDED' ? goYamlFoldedRoundTrip(value) : value;
    }
    if (!plain) return typeof node.value === 'string' ? node.value : source;
    if (node.tag === 'tag:yaml.org,2002:str') return source;
    if (node.tag && !node.tag.startsWith('tag:yaml.org,2002:')) return source;
    return this.resolve(source);
  }
}

function keyText(key: Node | null): string {
  if (isScalar(key)) return key.value === null || key.value === undefined ? '' : String(key.value);
  return '';
}

const FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVED: Record<string, Scalar> = {
  true: true,
  True: true,
  TRUE: true,
  false: false,
  False: false,
  FALSE: false,
  '': null,
  '~': null,
  null: null,
  Null: null,
  NULL: null,
};

/** A plain scalar's value as go-yaml v3 resolves it for an untyped target (then written as JSON). */
export function resolvePlainScalar(text: string): Scalar {
  if (Object.prototype.hasOwnProperty.call(RESOLVED, text)) return RESOLVED[text]!;
  const first = text.charCodeAt(0);
  const digitOrSign = (first >= 48 && first <= 57) || text[0] === '+' || text[0] === '-';
  if (text[0] === '.') {
    if (/^\.(nan|NaN|NAN)$/.test(text)) return Number.NaN;
    if (/^\.(inf|Inf|INF)$/.test(text)) return Number.POSITIVE_INFINITY;
    return FLOAT.test(text) ? Number(text) : text;
  }
  if (!digitOrSign) return text;
  if (/^[+]\.(inf|Inf|INF)$/.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-\.(inf|Inf|INF)$/.test(text)) return Number.NEGATIVE_INFINITY;
  const timestamp = parseTimestamp(text);
  if (timestamp !== undefined) return timestamp;
  const plain = text.replaceAll('_', '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (FLOAT.test(plain)) return Number(plain);
  return text;
}

/** strconv.ParseInt/ParseUint(s, 0, 64): optional sign, then 0x/0o/0b prefixes, or a leading 0 for octal. */
function parseGoInteger(text: string): number | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const sign = match[1] === '-' ? -1n : 1n;
  const digits = match[2]!;
  let value: bigint;
  if (/^0[oO]/.test(digits)) value = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) value = BigInt(`0o${digits.slice(1)}`);
  else value = BigInt(digits);
  value *= sign;
  if (value < -(2n ** 63n) || value > 2n ** 64n - 1n || (sign < 0n && value < -(2n ** 63n))) return undefined;
  return Number(value);
}

const RESOLVED_11: Record<string, Scalar> = {
  ...RESOLVED,
  y: true,
  Y: true,
  yes: true,
  Yes: true,
  YES: true,
  on: true,
  On: true,
  ON: true,
  n: false,
  N: false,
  no: false,
  No: false,
  NO: false,
  off: false,
  Off: false,
  OFF: false,
};

/** A plain scalar's value as go-yaml v2 resolves it (YAML 1.1 booleans; timestamps stay text). */
function resolvePlainScalar11(text: string): Scalar {
  if (Object.prototype.hasOwnProperty.call(RESOLVED_11, text)) return RESOLVED_11[text]!;
  if (parseTimestamp(text) !== undefined) return text;
  return resolvePlainScalar(text);
}

/** go-yaml v3's timestamp forms, written back as Go's time.Time JSON (RFC 3339 with nanoseconds). */
function parseTimestamp(text: string): string | undefined {
  if (!/^[0-9]{4}-/.test(text)) return undefined;
  const match = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, t, space, h, mi, s, frac, zone] = match;
  const hasTime = h !== undefined;
  // The T forms need a zone, the space form takes none.
  if (hasTime && ((t && !zone) || (space && zone))) return undefined;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const hour = Number(h ?? 0);
  const minute = Number(mi ?? 0);
  const second = Number(s ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const fraction = (frac ?? '').replace(/0+$/, '');
  const offset = !zone || zone === 'Z' || zone === '+00:00' ? 'Z' : zone === '-00:00' ? '-00:00' : zone;
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? `.${fraction}` : ''}${offset}`;
}

/**
 * Maps offsets of a string value (an inline patch) to offsets of the file it is written in, so what is
 * parsed from the string points at the file: exactly for a literal block scalar (`|`), the lines of which
 * are the file's lines less their indentation; approximately for a one-line quoted or plain scalar;
 * otherwise every offset maps to the scalar's start.
 */
export function embeddedOffsets(fileText: string, origin: Origin): (offset: number) => number {
  const source = fileText.slice(origin.start, origin.end);
  if (source.startsWith('|')) {
    const headerEnd = source.indexOf('\n');
    if (headerEnd < 0) return () => origin.start;
    const lineStarts: number[] = [];
    let indent = -1;
    const explicit = /^\|[+-]?([1-9])/.exec(source)?.[1];
    for (let at = headerEnd + 1; at <= source.length; ) {
      const end = source.indexOf('\n', at);
      const line = source.slice(at, end < 0 ? source.length : end);
      if (indent < 0 && line.trim() !== '') indent = explicit ? Number(explicit) : line.length - line.trimStart().length;
      lineStarts.push(at);
      if (end < 0) break;
      at = end + 1;
    }
    const width = Math.max(indent, 0);
    return (offset: number) => {
      // Walk the value's lines: each is the file line without its indentation.
      let remaining = offset;
      for (let i = 0; i < lineStarts.length; i++) {
        const start = lineStarts[i]!;
        const next = lineStarts[i + 1];
        const fileLineLength = (next === undefined ? source.length : next - 1) - start;
        const valueLineLength = Math.max(fileLineLength - width, 0);
        if (remaining <= valueLineLength) return origin.start + start + Math.min(width, fileLineLength) + remaining;
        remaining -= valueLineLength + 1;
      }
      return origin.end;
    };
  }
  if (!source.includes('\n')) {
    const quoted = source.startsWith('"') || source.startsWith("'") ? 1 : 0;
    return (offset: number) => Math.min(origin.start + quoted + offset, origin.end);
  }
  return () => origin.start;
}

/**
 * What go-yaml v3 makes of a folded (`>`) string when kustomize writes it out and reads it back (every
 * object goes through this before it is printed as JSON). go-yaml's emitter writes an extra empty line
 * after a line that does not start with a space, whenever the string's first character is not blank;
 * read back, that empty line folds away, except before a more-indented line, where it adds a line break.
 * Strings go-yaml would not write in folded style (a space before a line break or at the end) are kept.
 */
function goYamlFoldedRoundTrip(value: string): string {
  if (/ \n| $|[\x00-\x08\x0b-\x1f\x7f]/.test(value)) return value;
  // The emitter's lines: `null` stands for an empty line (a bare line break).
  const lines: (string | null)[] = [];
  let current: string | null = null;
  let breaks = true;
  let leadingSpaces = true;
  let k = 0;
  while (value[k] === '\n') k++;
  const firstIsBlank = k >= value.length || value[k] === ' ' || value[k] === '\t';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\n') {
      lines.push(current);
      if (!breaks && !leadingSpaces && !firstIsBlank) lines.push(null);
      current = null;
      breaks = true;
    } else {
      if (breaks) {
        current = '';
        leadingSpaces = c === ' ' || c === '\t';
      }
      current = `${current ?? ''}${c}`;
      breaks = false;
    }
  }
  const endsWithBreak = value.endsWith('\n');
  if (!endsWithBreak) lines.push(current);
  // The chomping the emitter writes: strip without a final break, keep with two or more.
  const chomping = !endsWithBreak ? 'strip' : value.length >= 2 && value[value.length - 2] === '\n' ? 'keep' : 'clip';
  return rescanFolded(lines, chomping, endsWithBreak);
}

/** go-yaml's folded block scalar scan over emitted lines (`null` is an empty line). */
function rescanFolded(lines: readonly (string | null)[], chomping: 'strip' | 'clip' | 'keep', endsWithBreak: boolean): string {
  // The emitted text: each line followed by a break, the last one only when the value ended with one.
  const content = lines.map((line, i) => ({ text: line ?? '', empty: line === null || line === '', last: i === lines.length - 1 }));
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  let i = 0;
  const scanBreaks = () => {
    while (i < content.length && content[i]!.empty && (!content[i]!.last || endsWithBreak)) {
      trailingBreaks += '\n';
      i++;
    }
  };
  scanBreaks();
  while (i < content.length && !(content[i]!.empty && content[i]!.last && !endsWithBreak)) {
    const line = content[i]!.text;
    const trailingBlank = line[0] === ' ' || line[0] === '\t';
    if (!leadingBlank && !trailingBlank && leadingBreak.startsWith('\n')) {
      if (trailingBreaks === '') s += ' ';
    } else s += leadingBreak;
    s += trailingBreaks;
    leadingBreak = '';
    trailingBreaks = '';
    leadingBlank = trailingBlank;
    s += line;
    const hasBreak = !content[i]!.last || endsWithBreak;
    leadingBreak = hasBreak ? '\n' : '';
    i++;
    scanBreaks();
  }
  if (chomping !== 'strip') s += leadingBreak;
  if (chomping === 'keep') s += trailingBreaks;
  return s;
}
