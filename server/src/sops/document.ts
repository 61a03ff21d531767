/**
 * A YAML file seen the way sops walks it, over the original text: leaves (values and comments) in
 * sops' order with their path, type and source range, so encryption and decryption are splices
 * into the text and everything else (order, comments, quoting, blank lines) stays as written.
 */
import { Composer, Parser, isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { blockTopLevelFlowMaps, expandCollectionAliases } from './normalize';
import { SopsError } from './errors';
import { resolvePlain, resolveTagged, UnsupportedScalarError, type TypedScalar } from './scalars';

export interface ValueLeaf {
  readonly kind: 'value';
  readonly path: readonly string[];
  /** null for YAML null (never encrypted nor hashed). */
  readonly typed: TypedScalar | null;
  /** The raw string content (what an `ENC[…]` value holds). */
  readonly raw: string;
  /** Source range of the scalar (or alias) text. */
  readonly start: number;
  readonly end: number;
  readonly flow: boolean;
  /** Column the value's block scalar content would be indented from. */
  readonly parentColumn: number;
  readonly commentsStack: readonly (readonly string[])[];
}

export interface CommentLeaf {
  readonly kind: 'comment';
  readonly path: readonly string[];
  /** Every container path of the document, tried in turn when the guessed one fails to decrypt. */
  readonly otherPaths: readonly (readonly string[])[];
  /** Text after `#`, with its leading space. */
  readonly text: string;
  /** Range of the whole comment, `#` included. */
  readonly start: number;
  readonly end: number;
  readonly lineStart: number;
  /**
   * For an own-line comment in a block sequence: the dash column. sops writes such encrypted
   * comments as sequence items (`- ENC[…,type:comment]`); a save writes them back so.
   */
  readonly seqDashColumn: number | undefined;
  readonly commentsStack: readonly (readonly string[])[];
}

export type Leaf = ValueLeaf | CommentLeaf;

export interface YamlDocument {
  readonly root: YAMLMap | undefined;
  /** The top-level `sops` pair, if any. */
  readonly sopsPair: Pair | undefined;
  /** Offset after the document's content, where a `sops:` block is appended. */
  readonly contentEnd: number;
  readonly leaves: readonly Leaf[];
}

export interface ParsedYaml {
  readonly source: string;
  readonly documents: readonly YamlDocument[];
}

interface RawComment {
  readonly offset: number;
  readonly source: string;
}

interface Collection {
  readonly node: Node;
  readonly path: readonly string[];
  readonly parent: Collection | undefined;
  /** A block sequence whose dashes stand at its key's column (`key:` then `- item` below it). */
  readonly indentless: boolean;
  readonly itemColumn: number;
  readonly start: number;
  readonly end: number;
  readonly flow: boolean;
}

/** Parses every document; YAML errors and layouts sops rejects become SopsErrors (no source quoted). */
export function parseYaml(source: string): ParsedYaml {
  const tokens = [...new Parser().parse(source)];
  const comments: RawComment[] = [];
  collectComments(tokens, comments);
  comments.sort((a, b) => a.offset - b.offset);
  const docs = [...new Composer({ schema: 'failsafe', uniqueKeys: true, prettyErrors: false }).compose(tokens)];
  if (docs.every((d) => d.errors.length === 0)) {
    const rewritten = expandCollectionAliases(source, docs, typeScalar) ?? blockTopLevelFlowMaps(source, docs);
    if (rewritten !== undefined) return parseYaml(rewritten);
  }
  const lines = lineStarts(source);
  const content = contentCounter(source, comments);
  const documents = docs.map((doc, i) => {
    const error = doc.errors[0];
    if (error) {
      const [line, col] = lineCol(lines, error.pos[0]);
      // The error's code, not its message: messages may quote the text, which may be a secret.
      throw new SopsError('format', `Error unmarshalling input yaml: ${error.code.toLowerCase().replaceAll('_', ' ')} at line ${line}, column ${col}`);
    }
    const from = i === 0 ? 0 : (doc.range[0] as number);
    const to = i + 1 < docs.length ? ((docs[i + 1] as Document.Parsed).range[0] as number) : source.length;
    return buildDocument(source, lines, content, doc, comments.filter((c) => c.offset >= from && c.offset < to), to);
  });
  return { source, documents };
}

function collectComments(value: unknown, out: RawComment[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectComments(v, out);
  } else if (value && typeof value === 'object') {
    const token = value as { type?: unknown; offset?: unknown; source?: unknown };
    if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
      out.push({ offset: token.offset, source: token.source });
      return;
    }
    for (const v of Object.values(value)) if (v && typeof v === 'object') collectComments(v, out);
  }
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') starts.push(i + 1);
  return starts;
}

function lineOf(lines: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function lineCol(lines: readonly number[], offset: number): [number, number] {
  const line = lineOf(lines, offset);
  return [line + 1, offset - (lines[line] as number) + 1];
}

function column(lines: readonly number[], offset: number): number {
  return offset - (lines[lineOf(lines, offset)] as number);
}

function buildDocument(source: string, lines: readonly number[], content: ContentIndex, doc: Document.Parsed, comments: readonly RawComment[], to: number): YamlDocument {
  const contents = doc.contents;
  let root: YAMLMap | undefined;
  if (isMap(contents) && contents.tag && contents.tag !== 'tag:yaml.org,2002:map') {
    throw new SopsError('format', `Error unmarshalling input yaml: a top-level ${contents.tag.replace('tag:yaml.org,2002:', '!!')} is not supported`);
  }
  if (isMap(contents)) root = contents;
  else if (isSeq(contents)) throw new SopsError('format', 'Error unmarshalling input yaml: YAML documents that are sequences are not supported');
  else if (isScalar(contents) && contents.value !== null && contents.value !== '') {
    throw new SopsError('format', 'Error unmarshalling input yaml: YAML documents that are values are not supported');
  }
  const sopsPair = root?.items.find((p) => isScalar(p.key) && p.key.value === 'sops');
  // The block goes after trailing comments too (as sops writes it), unless a `...` end marker is there.
  const bodyEnd = root ? (root.range?.[2] ?? to) : (doc.range[1] as number);
  const contentEnd = /^\.\.\.\s*$/m.test(source.slice(bodyEnd, to)) ? bodyEnd : to;

  const collections: Collection[] = [];
  const entriesByCollection = new Map<Node, Entry[]>();
  if (root) gatherCollections(source, lines, doc, root, [], collections, entriesByCollection, undefined, sopsPair);
  const leafComments = attributeComments(source, content, to, lines, comments, collections, entriesByCollection);
  const leaves: Leaf[] = [];
  if (root) walk(root, [], [], entriesByCollection, leafComments, leaves);
  return { root, sopsPair, contentEnd, leaves };
}

/** An item of a collection in sops' order: a value (or nested collection) or a comment. */
type Entry =
  | { readonly type: 'item'; readonly anchor: number; readonly path: readonly string[]; readonly node: Node; readonly leaf?: Omit<ValueLeaf, 'commentsStack' | 'path'> }
  | { readonly type: 'comment'; readonly anchor: number; readonly comment: RawComment };

function gatherCollections(
  source: string,
  lines: readonly number[],
  doc: Document.Parsed,
  node: Node,
  path: readonly string[],
  collections: Collection[],
  entries: Map<Node, Entry[]>,
  parent: Collection | undefined,
  skip?: Pair,
): void {
  const range = node.range ?? [0, 0, 0];
  const flow = (isMap(node) || isSeq(node)) && node.flow === true;
  const list: Entry[] = [];
  entries.set(node, list);
  if (isMap(node)) {
    const firstKey = node.items[0]?.key as Node | undefined;
    const self: Collection = { node, path, parent, indentless: false, itemColumn: firstKey?.range ? column(lines, firstKey.range[0]) : 0, start: range[0], end: range[1], flow };
    collections.push(self);
    for (const pair of node.items) {
      if (pair === skip) continue;
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) throw new SopsError('format', 'Error unmarshalling input yaml: complex mapping keys are not supported');
      const keyText = keyString(key);
      const childPath = [...path, keyText];
      const value = (pair.value ?? null) as Node | null;
      list.push(child(source, lines, doc, value, childPath, key.range[0], column(lines, key.range[0]) + 2, self, collections, entries));
    }
  } else if (isSeq(node)) {
    const first = node.items[0] as Node | undefined;
    const firstStart = first?.range?.[0] ?? range[0];
    const dash = flow ? firstStart : source.lastIndexOf('-', firstStart);
    const itemColumn = column(lines, Math.max(dash, 0));
    const indentless = !flow && parent !== undefined && isMap(parent.node) && parent.itemColumn === itemColumn;
    const self: Collection = { node, path, parent, indentless, itemColumn, start: range[0], end: range[1], flow };
    collections.push(self);
    for (const item of node.items) {
      const value = item as Node;
      const start = value.range?.[0] ?? range[0];
      list.push(child(source, lines, doc, value, path, start, column(lines, start), self, collections, entries));
    }
  }
}

function child(
  source: string,
  lines: readonly number[],
  doc: Document.Parsed,
  value: Node | null,
  path: readonly string[],
  anchor: number,
  parentColumn: number,
  parent: Collection,
  collections: Collection[],
  entries: Map<Node, Entry[]>,
): Entry {
  const flow = parent.flow;
  let target: Node | null = value;
  if (isAlias(value)) {
    // Collection aliases were expanded by parseYaml; scalar ones are typed from their anchor.
    target = value.resolve(doc) ?? null;
  }
  if (target && (isMap(target) || isSeq(target))) {
    gatherCollections(source, lines, doc, target, path, collections, entries, parent);
    return { type: 'item', anchor, path, node: target };
  }
  const scalar = target as Scalar | null;
  const at = value?.range ?? [anchor, anchor, anchor];
  // An explicit tag (`!!int 5`) is replaced together with the value it types.
  const start = scalar?.tag && value === scalar ? tagStart(source, at[0]) : at[0];
  const raw = scalar && scalar.value !== null ? String(scalar.value) : '';
  return {
    type: 'item',
    anchor,
    path,
    node: value ?? (scalar as unknown as Node),
    leaf: { kind: 'value', typed: typeScalar(scalar, path), raw, start, end: at[1], flow, parentColumn },
  };
}

function tagStart(source: string, start: number): number {
  const m = /(!\S*)(\s+&\S+)?\s+$/.exec(source.slice(Math.max(0, start - 200), start));
  return m ? start - m[0].length : start;
}

function keyString(key: Scalar): string {
  const typed = typeScalar(key, []);
  if (typed === null || typed.type !== 'str') {
    throw new SopsError('format', `Tree contains a non-string key (type ${goTypeName(typed)}): ${String(key.value)}. Only string keys are supported`);
  }
  return typed.text;
}

function goTypeName(typed: TypedScalar | null): string {
  if (typed === null) return '<nil>';
  return { str: 'string', int: 'int', float: 'float64', bool: 'bool', time: 'time.Time', bytes: '[]uint8' }[typed.type];
}

function typeScalar(scalar: Scalar | null, path: readonly string[]): TypedScalar | null {
  if (scalar === null) return null;
  // A `<<` merge key is an ordinary string key to sops (yaml.v3 decodes it as "<<").
  if (typeof scalar.value === 'symbol') return { type: 'str', text: '<<' };
  const value = scalar.value === null ? '' : String(scalar.value);
  try {
    // The scalar's text: the yaml library decodes !!binary (leniently) and !!timestamp into objects itself.
    if (scalar.tag && scalar.tag.startsWith('tag:yaml.org,2002:')) return resolveTagged(scalar.tag, scalar.source ?? value);
    if (scalar.type === 'PLAIN' && !scalar.tag) return resolvePlain(value);
    return { type: 'str', text: value };
  } catch (error) {
    if (error instanceof UnsupportedScalarError) {
      throw new SopsError('value', `${error.message} at ${path.join(':')}:`);
    }
    throw error;
  }
}

interface CommentInfo {
  readonly otherPaths: readonly (readonly string[])[];
  readonly lineStart: number;
  /** Set for an own-line comment inside a block sequence: the column of its dashes. */
  readonly seqDashColumn: number | undefined;
}

/**
 * Answers "is there only whitespace and comments between two offsets?" in constant time: a
 * prefix count of the characters that are content (not blank, not in a comment).
 */
interface ContentIndex {
  /** Only whitespace and comments in [from, to)? */
  onlyComments(from: number, to: number): boolean;
  /** The first content character at or after `from`, if any. */
  nextContent(from: number): number | undefined;
}

function contentCounter(source: string, comments: readonly RawComment[]): ContentIndex {
  const inComment = new Uint8Array(source.length);
  for (const c of comments) inComment.fill(1, c.offset, c.offset + c.source.length);
  const prefix = new Int32Array(source.length + 1);
  for (let i = 0; i < source.length; i++) {
    const blank = source[i] === ' ' || source[i] === '\n' || source[i] === '\r' || source[i] === '\t';
    prefix[i + 1] = (prefix[i] as number) + (blank || inComment[i] ? 0 : 1);
  }
  return {
    onlyComments: (from, to) => from >= to || prefix[to] === prefix[from],
    nextContent: (from) => {
      // The smallest i >= from with prefix[i + 1] > prefix[from].
      if (prefix[source.length] === prefix[from]) return undefined;
      let lo = from;
      let hi = source.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((prefix[mid + 1] as number) > (prefix[from] as number)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
  };
}

/** How yaml.v3's scanner files an own-line comment, which decides what it is attached to. */
interface Filing {
  /**
   * `prior`: a foot of the content before it; `next`: a foot filed at the next content's level;
   * `head`: a head of the next content (when indented as it, else like a foot).
   */
  readonly attach: 'prior' | 'next' | 'head';
  /** Column of the first comment of its block. */
  readonly column: number;
  /** Whether its block is the first of the run (only then can it be a foot of the content before). */
  readonly firstBlock: boolean;
  /** The next content (undefined at the document's end, where our `sops:` key follows). */
  readonly next: number | undefined;
}

/**
 * Replays yaml.v3's comment scan over each run of own-line comments (only blank lines between
 * them): lines accumulate into a block; a line less indented than the innermost block and at
 * another column than the block's first line ends the block as a foot comment; so does the first
 * blank line after comments that directly follow content, when they are dedented or follow a
 * value; what remains is a head comment of the next content.
 */
function fileComments(source: string, lines: readonly number[], content: ContentIndex, comments: readonly RawComment[], to: number, indentAt: (offset: number) => number): Map<RawComment, Filing> {
  const filings = new Map<RawComment, Filing>();
  const ownLine = comments.filter((c) => source.slice(lines[lineOf(lines, c.offset)] as number, c.offset).trim() === '');
  let i = 0;
  while (i < ownLine.length) {
    const run: RawComment[] = [ownLine[i] as RawComment];
    while (i + 1 < ownLine.length && content.onlyComments((ownLine[i] as RawComment).offset, (ownLine[i + 1] as RawComment).offset)) run.push(ownLine[++i] as RawComment);
    i++;
    const first = run[0] as RawComment;
    const last = run[run.length - 1] as RawComment;
    const found = content.nextContent(last.offset + last.source.length);
    const next = found !== undefined && found < to ? found : undefined;
    const previous = previousContent(first.offset, content);
    const indent = previous === undefined ? 0 : indentAt(previous);
    const footLine = previous === undefined ? -1 : lineOf(lines, previous) + 1;
    const afterValue = previous !== undefined && source[previous] === ':';
    let firstEmpty = footLine === lineOf(lines, first.offset);
    let block: RawComment[] = [];
    let start = 0;
    let blocks = 0;
    const flush = (attach: Filing['attach']): void => {
      for (const c of block) filings.set(c, { attach, column: start, firstBlock: blocks === 0, next });
      block = [];
      blocks++;
    };
    const blankLine = (): void => {
      if (block.length === 0 || !firstEmpty) return;
      const startLine = lineOf(lines, (block[0] as RawComment).offset);
      if (start < indent) flush('next');
      else if (startLine === footLine && !afterValue) flush(blocks === 0 ? 'prior' : 'next');
    };
    let line = lineOf(lines, first.offset);
    for (const comment of run) {
      const commentLine = lineOf(lines, comment.offset);
      if (commentLine > line + 1) {
        blankLine();
        firstEmpty = false;
      }
      const col = column(lines, comment.offset);
      if (block.length > 0 && col < indent && col !== start) flush(blocks === 0 ? 'prior' : 'next');
      if (block.length === 0) start = col;
      block.push(comment);
      line = commentLine;
    }
    // A blank line before the next content (or before our `sops:` key, after the document).
    const nextLine = lineOf(lines, next ?? to);
    if (nextLine > line + 1 || (next === undefined && to > last.offset + last.source.length + 1)) blankLine();
    if (block.length > 0) flush('head');
  }
  return filings;
}

/** The last content character before `offset`, if any. */
function previousContent(offset: number, content: ContentIndex): number | undefined {
  for (let i = offset - 1; i >= 0; i--) {
    if (!content.onlyComments(i, i + 1)) return i;
  }
  return undefined;
}

/**
 * The collection each comment belongs to, as yaml.v3 (and so sops) attaches it, for the layout we
 * write: the document followed by the `sops:` key at column 0. A comment on a content line
 * belongs with that line. A comment filed as a foot of the content before it (or a head not
 * indented as the next content, in the first block of its run) belongs to the innermost
 * collection it follows; any other belongs with the next content.
 */
function attributeComments(
  source: string,
  content: ContentIndex,
  to: number,
  lines: readonly number[],
  comments: readonly RawComment[],
  collections: readonly Collection[],
  entries: Map<Node, Entry[]>,
): Map<RawComment, CommentInfo> {
  const info = new Map<RawComment, CommentInfo>();
  const root = collections[0];
  // Every container's path once: the candidates tried when a comment's guessed path fails.
  const seen = new Set<string>();
  const allPaths = collections.map((c) => c.path).filter((p) => !seen.has(p.join('\0')) && seen.add(p.join('\0')));
  const innermost = (accept: (c: Collection) => boolean): Collection | undefined =>
    collections.reduce<Collection | undefined>((owner, c) => (!c.flow && accept(c) ? deeper(owner, c) : owner), undefined);
  const contains = (c: Collection, offset: number): boolean => c.start <= offset && offset < Math.max(c.end, c.start + 1);
  const follows = (c: Collection, offset: number): boolean => c.start <= offset && (offset < c.end || content.onlyComments(c.end, offset));
  const filings = fileComments(source, lines, content, comments, to, (offset) => innermost((c) => contains(c, offset))?.itemColumn ?? 0);
  for (const comment of comments) {
    const lineStart = lines[lineOf(lines, comment.offset)] as number;
    const before = source.slice(lineStart, comment.offset);
    const trailing = before.trim() !== '';
    let owner: Collection | undefined;
    if (trailing) {
      const firstContent = lineStart + (before.length - before.trimStart().length);
      owner = innermost((c) => contains(c, firstContent));
    } else {
      const { attach, column: col, firstBlock, next } = filings.get(comment) as Filing;
      const startsCollection = next !== undefined && collections.some((c) => c.start === next);
      const head = startsCollection || col === (next === undefined ? 0 : column(lines, next));
      const prior = attach === 'prior' || (attach === 'head' && !head && firstBlock);
      if (prior) {
        owner = innermost((c) => follows(c, comment.offset));
        // An indentless sequence ends at a sibling of its key: a comment right before that
        // sibling (not split off by a blank line) is filed with the sibling.
        const nextColumn = next === undefined ? 0 : column(lines, next);
        const sibling = !(next !== undefined && contains(owner as Collection, next)) && nextColumn === owner?.itemColumn;
        if (attach === 'head' && owner?.indentless && sibling) owner = owner.parent;
      } else owner = next === undefined ? root : innermost((c) => contains(c, next));
    }
    owner ??= root;
    if (!owner) continue;
    const anchor = trailing ? lineStart : comment.offset;
    (entries.get(owner.node) as Entry[]).push({ type: 'comment', anchor, comment });
    info.set(comment, {
      otherPaths: allPaths,
      lineStart,
      seqDashColumn: !trailing && isSeq(owner.node) ? owner.itemColumn : undefined,
    });
  }
  for (const list of entries.values()) list.sort((a, b) => a.anchor - b.anchor);
  return info;
}

function deeper(current: Collection | undefined, candidate: Collection): Collection {
  if (!current) return candidate;
  if (candidate.path.length !== current.path.length) return candidate.path.length > current.path.length ? candidate : current;
  return candidate.start >= current.start ? candidate : current;
}

/** sops' walkBranch/walkSlice: a stack of "comments since the last value", one level per collection. */
function walk(
  node: Node,
  path: readonly string[],
  stack: readonly (readonly string[])[],
  entries: Map<Node, Entry[]>,
  comments: Map<RawComment, CommentInfo>,
  out: Leaf[],
): void {
  let current: string[] = [];
  for (const entry of entries.get(node) ?? []) {
    if (entry.type === 'comment') {
      const text = entry.comment.source.slice(1);
      current = [...current, text];
      const info = comments.get(entry.comment);
      out.push({
        kind: 'comment',
        path,
        otherPaths: info?.otherPaths ?? [],
        lineStart: info?.lineStart ?? entry.comment.offset,
        seqDashColumn: info?.seqDashColumn,
        text,
        start: entry.comment.offset,
        end: entry.comment.offset + entry.comment.source.length,
        commentsStack: [...stack, current],
      });
      continue;
    }
    if (entry.leaf) out.push({ ...entry.leaf, path: entry.path, commentsStack: [...stack, current] });
    else walk(entry.node, entry.path, [...stack, current], entries, comments, out);
    current = [];
  }
}
