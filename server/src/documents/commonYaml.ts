import { Document, Pair, Scalar, YAMLMap, YAMLSeq, isScalar, type Node } from 'yaml';

/**
 * The options of every parse of a section, by this parser or by `yaml` (whose AST it reproduces for
 * exactly these: another schema, YAML version, merge keys or key checks would change it).
 * uniqueKeys is off: `yaml` checks it in quadratic time; the duplicate-key rule does it in linear time.
 */
export const PARSE_OPTIONS = { uniqueKeys: false, prettyErrors: false, strict: true, logLevel: 'silent' } as const;

/**
 * A fast parser for the YAML that Kubernetes manifests and CRDs are made of: block mappings and
 * sequences, plain and quoted scalars (over one line or more), literal and folded block scalars,
 * one-line flow collections and comments. It builds the same AST as `yaml`'s `parseDocument` (same
 * node classes, values, scalar types, formats and ranges; test/unit/server/commonYaml.test.ts checks
 * it against `yaml` on thousands of documents) five to six times faster (bench/parse.bench.ts),
 * because it reads each line once instead of lexing, building a CST and composing. Comments are
 * skipped: nodes carry no `comment`/`commentBefore`/`spaceBefore` (nothing on the server reads them
 * or prints a section back; SOPS, which does, parses with `yaml`).
 *
 * Anything outside that subset (anchors, aliases, tags, directives, multi-line flow collections,
 * complex keys, tabs, CR, keep chomping, an escaped line break, any YAML error...) makes it return
 * undefined, and the caller parses with `yaml`. So do constructs whose ranges `yaml` computes by rules
 * not reproduced here (comments right after a block scalar or an empty value, and so on).
 */
export function parseCommonYaml(text: string): Document.Parsed | undefined {
  if (UNSUPPORTED_CHARACTERS.test(text)) return undefined;
  const doc = new Document(undefined, PARSE_OPTIONS);
  try {
    new CommonYamlParser(text, doc).parseInto();
  } catch (error) {
    if (error === UNSUPPORTED) return undefined;
    throw error;
  }
  return doc as Document.Parsed;
}

/** Tabs, CR, control characters, BOM, NEL and Unicode line separators: the rules for them are left to `yaml`. */
const UNSUPPORTED_CHARACTERS = /[\x00-\x09\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]/;

/** Thrown (never escapes) when the text leaves the supported subset. */
const UNSUPPORTED = Symbol('unsupported YAML construct');

function unsupported(): never {
  throw UNSUPPORTED;
}

const enum Char {
  Newline = 10,
  Space = 32,
  Hash = 35,
  Quote = 34,
  Apostrophe = 39,
  Comma = 44,
  Dash = 45,
  Question = 63,
  Dot = 46,
  Colon = 58,
  Greater = 62,
  OpenBracket = 91,
  Backslash = 92,
  CloseBracket = 93,
  OpenBrace = 123,
  Pipe = 124,
  CloseBrace = 125,
}

/** Characters that cannot start a plain scalar here (indicators, and those whose handling is left to `yaml`). */
const NOT_PLAIN_START = new Set([...',[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

/** Plain scalar tags of the document's schema (core: null, bool, int, float), in `yaml`'s order of trial. */
type ScalarTag = { test?: RegExp; default?: boolean | 'key'; format?: string; resolve: (value: string, onError: (message: string) => void, options: unknown) => unknown };

type Range = [number, number, number];

/** A quoted scalar's text: its value (escapes and line folds applied), its style, the offset after its closing quote. */
interface Quoted {
  readonly value: string;
  readonly type: Scalar.Type;
  readonly end: number;
}

/** Properties set in the composer's order, so every scalar node has one shape. */
function quotedScalar({ value, type }: Quoted, range: Range): Scalar {
  const scalar = new Scalar(value);
  scalar.range = range;
  scalar.source = value;
  scalar.type = type;
  return scalar;
}

interface Trivia {
  readonly from: number;
  readonly next: number;
  readonly deepestComment: number;
}

/** Ends of a line-bound value: where its text ends and where its node ends (spaces, comment, newline). */
interface LineTail {
  readonly valueEnd: number;
  readonly nodeEnd: number;
}

/** How far an implicit key's `:` may lie from its start (`yaml`'s KEY_OVER_1024_CHARS). */
const MAX_KEY_LENGTH = 1024;

/** Nesting deeper than this is left to `yaml` (whose parser does not recurse), bounding the stack used here. */
const MAX_DEPTH = 100;

class CommonYamlParser {
  private pos = 0;
  private depth = 0;
  private trivia: Trivia = { from: -1, next: 0, deepestComment: -1 };
  private readonly tags: readonly ScalarTag[];

  constructor(
    private readonly text: string,
    private readonly doc: Document,
  ) {
    this.tags = (doc.schema.tags as unknown as ScalarTag[]).filter((tag) => tag.default === true && tag.test);
  }

  parseInto(): void {
    const { text, doc } = this;
    let lineStart = this.skipTrivia(0, false);
    if (lineStart >= text.length) unsupported(); // empty document: `yaml`'s ranges for it are its own
    let offset = lineStart;
    if (this.isDocumentMarker(lineStart, Char.Dash)) {
      doc.directives!.docStart = true;
      const afterMarker = lineStart + 3;
      const tail = this.lineTail(afterMarker, afterMarker);
      if (tail.valueEnd !== afterMarker) unsupported(); // content on the marker line
      lineStart = this.skipTrivia(tail.nodeEnd);
      if (lineStart >= text.length) unsupported();
      offset = afterMarker - 3;
    }
    const contents = this.blockNode(lineStart, -1);
    if (this.skipTrivia(this.pos) < text.length) unsupported();
    doc.contents = contents;
    doc.range = [offset, contents.range![2], text.length];
  }

  // ---- block collections ----------------------------------------------------------------------

  /** The block collection whose first line starts at `lineStart`, more indented than `parent`. */
  private blockNode(lineStart: number, parent: number): YAMLMap | YAMLSeq {
    const indent = this.indentAt(lineStart);
    if (indent <= parent) unsupported();
    const at = lineStart + indent;
    if (this.isSeqItem(at)) return this.blockSeq(at, indent, parent);
    return this.blockMap(at, indent);
  }

  /** A block mapping whose first key is at `at` (column `indent`). */
  private blockMap(at: number, indent: number, firstKey = this.implicitKey(at)): YAMLMap {
    this.enter();
    const map = new YAMLMap(this.doc.schema);
    let key = firstKey;
    let valueEnd = at;
    for (;;) {
      if (!key) unsupported();
      const value = this.blockValue(key.colon + 1, indent, true);
      map.items.push(new Pair(key.node, value));
      valueEnd = value.range![2];
      const next = this.skipTrivia(this.pos);
      if (next >= this.text.length) break;
      const nextIndent = this.indentAt(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent || this.isSeqItem(next + nextIndent)) unsupported();
      // After an empty value `yaml` counts a key's length from that value's end (the key's line start).
      const empty = value.range![0] === valueEnd;
      key = this.implicitKey(next + nextIndent, empty ? valueEnd : next + nextIndent);
    }
    map.range = [at, valueEnd, this.absorbComments(valueEnd, indent)];
    this.depth--;
    return map;
  }

  /** A block sequence whose first `-` is at `at` (column `indent`). */
  private blockSeq(at: number, indent: number, parent: number): YAMLSeq {
    this.enter();
    const seq = new YAMLSeq(this.doc.schema);
    let dashAt = at;
    let valueEnd = at;
    let commentBefore = false;
    for (;;) {
      const item = this.blockValue(dashAt + 1, indent, false, commentBefore);
      seq.items.push(item);
      valueEnd = item.range![2];
      const next = this.skipTrivia(this.pos);
      if (next >= this.text.length) break;
      const nextIndent = this.indentAt(next);
      if (nextIndent < indent) break;
      if (nextIndent > indent) unsupported();
      if (!this.isSeqItem(next + nextIndent)) {
        // A sequence as indented as its parent mapping's keys ends where the next key starts.
        if (indent === parent) break;
        unsupported();
      }
      commentBefore = this.hasCommentLine(this.pos, next);
      dashAt = next + nextIndent;
    }
    seq.range = [at, valueEnd, this.absorbComments(valueEnd, indent)];
    this.depth--;
    return seq;
  }

  /**
   * Where a collection that ends at `end` really ends for `yaml`: the blank and comment lines
   * after it, up to the next content, stay in it when one of those comments is at least as
   * indented as the collection (unless that is column 0); otherwise they go to the enclosing
   * collection, which decides the same way when it ends.
   */
  private absorbComments(end: number, indent: number): number {
    const trivia = this.triviaAt(this.pos);
    if (trivia.deepestComment < indent || indent === 0) return end;
    this.pos = trivia.next;
    return trivia.next >= this.text.length ? trivia.next : trivia.next + this.indentAt(trivia.next);
  }

  /**
   * The blank and comment lines from `from` to the next content line: where that line starts, and
   * the column of the most indented comment (-1 for none). Kept for the next call, as collections
   * that end together ask about the same lines.
   */
  private triviaAt(from: number): Trivia {
    if (this.trivia.from === from) return this.trivia;
    const { text } = this;
    let deepestComment = -1;
    let lineStart = from;
    for (; lineStart < text.length; lineStart = this.lineEndAt(lineStart)) {
      const column = this.indentAt(lineStart);
      const c = text.charCodeAt(lineStart + column);
      if (c === Char.Hash) deepestComment = Math.max(deepestComment, column);
      else if (lineStart + column < text.length && c !== Char.Newline) break;
    }
    return (this.trivia = { from, next: lineStart, deepestComment });
  }

  /**
   * Absorbs the run of comment lines from `this.pos` whose column passes `owns` (and the blank lines
   * between them), as `yaml` gives a scalar the comments indented under it; returns the end of the
   * last one, or `end` when there is none.
   */
  private absorb(owns: (column: number) => boolean, end: number): number {
    const { text } = this;
    for (let lineStart = this.pos; lineStart < text.length; ) {
      const column = this.indentAt(lineStart);
      const first = lineStart + column;
      const lineEnd = this.lineEndAt(first);
      const c = text.charCodeAt(first);
      if (c === Char.Hash) {
        if (!owns(column)) break;
        end = lineEnd;
        this.pos = lineEnd;
      } else if (first < text.length && c !== Char.Newline) break;
      lineStart = lineEnd;
    }
    return end;
  }

  // ---- values ----------------------------------------------------------------------------------

  /**
   * The value after a key's `:` or a sequence item's `-` at `from`. `indent` is the column of the
   * mapping's keys or of the `-`. Leaves `this.pos` at the start of the first line after the value.
   */
  private blockValue(from: number, indent: number, inMap: boolean, commentBefore = false): Node {
    const { text } = this;
    const next = text.charCodeAt(from);
    if (!(next === Char.Space || next === Char.Newline || from >= text.length)) unsupported();
    const at = this.skipSpaces(from);
    const c = text.charCodeAt(at);
    if (at >= text.length || c === Char.Newline || c === Char.Hash) return this.valueOnNextLines(at, indent, inMap, commentBefore);
    if (c === Char.Pipe || c === Char.Greater) return this.blockScalar(at, indent);
    if (c === Char.Dash && this.isSeqItem(at)) {
      if (inMap) unsupported();
      return this.blockSeq(at, at - this.lineStartOf(at), indent);
    }
    if (!inMap) {
      const key = this.implicitKey(at);
      if (key) return this.blockMap(at, at - this.lineStartOf(at), key);
    }
    const node = c === Char.OpenBracket || c === Char.OpenBrace ? this.flowCollection(at) : this.flowScalar(at, indent);
    const nextLine = this.skipTrivia(this.pos);
    if (nextLine < text.length && this.indentAt(nextLine) > indent) unsupported(); // continuation lines
    node.range![2] = this.absorb((column) => column > indent, node.range![2]);
    return node;
  }

  /**
   * A value that starts on the lines after its key or `-` (at `at`: end of line or a comment);
   * `commentBefore`: comment lines come between the previous sequence item and this one's `-`.
   */
  private valueOnNextLines(at: number, indent: number, inMap: boolean, commentBefore: boolean): Node {
    const { text } = this;
    const tail = this.lineTail(at, at);
    const lineAfter = tail.nodeEnd;
    const next = this.skipTrivia(lineAfter);
    if (next < text.length) {
      const nextIndent = this.indentAt(next);
      if (nextIndent > indent) return this.blockNode(next, indent);
      if (inMap && nextIndent === indent && this.isSeqItem(next + nextIndent)) return this.blockSeq(next + nextIndent, indent, indent);
    }
    // An empty value (null). Its range takes in following comment lines, and at the end of the text
    // the document's range leaves out its line end, by rules left to `yaml`.
    if (next !== lineAfter || next >= text.length) unsupported();
    this.pos = lineAfter;
    // With a comment on its line, or (an item's) before its `-`, it ends where the next line's content starts.
    return this.plainScalar('', [at, at, commentBefore || text.charCodeAt(at) === Char.Hash ? next + this.indentAt(next) : at]);
  }

  /** A plain or quoted scalar (over one line or more) at `at`, the value of a collection at column `indent`. */
  private flowScalar(at: number, indent: number): Scalar {
    const c = this.text.charCodeAt(at);
    let quoted: Quoted | undefined;
    let source = '';
    let end: number;
    if (c === Char.Quote || c === Char.Apostrophe) {
      quoted = this.quoted(at, indent);
      end = quoted.end;
    } else {
      if (NOT_PLAIN_START.has(c) || this.isIndicatorWithSpace(at)) unsupported();
      const plain = this.scanPlain(at);
      if (plain.colon !== -1) unsupported(); // `a: b: c`
      end = plain.end;
      source = this.text.slice(at, end);
      const more = plain.comment ? undefined : this.continuation(end, indent);
      if (more) {
        source += more.folded;
        end = more.end;
      }
    }
    const tail = this.lineTail(end, end);
    if (tail.valueEnd !== end) unsupported();
    this.pos = tail.nodeEnd;
    const range: Range = [at, end, tail.nodeEnd];
    return quoted ? quotedScalar(quoted, range) : this.plainScalar(source, range);
  }

  /**
   * The continuation lines of a plain scalar whose first line ends at `end` (more indented than
   * `indent`, up to a comment or a less indented line), folded as `yaml` folds them: a line break
   * becomes a space, and n empty lines become n line breaks.
   */
  private continuation(end: number, indent: number): { folded: string; end: number } | undefined {
    const { text } = this;
    let folded = '';
    let breaks = 0;
    let found = false;
    for (let lineStart = this.lineEndAt(end); lineStart < text.length; ) {
      const column = this.indentAt(lineStart);
      const first = lineStart + column;
      const c = text.charCodeAt(first);
      if (first >= text.length || c === Char.Newline) {
        breaks++;
        lineStart = this.lineEndAt(first);
        continue;
      }
      if (column <= indent || c === Char.Hash) break;
      // Any other character may start a continuation line (`- `, quotes, brackets are text there).
      if (c === Char.Colon && this.spaceOrLineEnd(first + 1)) unsupported();
      const line = this.scanPlain(first);
      if (line.colon !== -1) unsupported(); // an implicit key cannot span lines
      folded += (breaks ? '\n'.repeat(breaks) : ' ') + text.slice(first, line.end);
      breaks = 0;
      end = line.end;
      found = true;
      if (line.comment) break;
      lineStart = this.lineEndAt(first);
    }
    return found ? { folded, end } : undefined;
  }

  /** `|` or `>` block scalar with clip or strip chomping and an auto-detected indent. */
  private blockScalar(at: number, indent: number): Scalar {
    const { text } = this;
    const folded = text.charCodeAt(at) === Char.Greater;
    let headerEnd = at + 1;
    const strip = text.charCodeAt(headerEnd) === Char.Dash;
    if (strip) headerEnd++;
    const header = this.lineTail(headerEnd, headerEnd);
    if (header.valueEnd !== headerEnd) unsupported(); // keep chomping, explicit indent, or junk
    const lines: string[] = [];
    let contentIndent = -1;
    let end = header.nodeEnd;
    let emptyBefore = 0;
    let lineStart = header.nodeEnd;
    while (lineStart < text.length) {
      const lineIndent = this.indentAt(lineStart);
      const first = lineStart + lineIndent;
      const lineEnd = this.lineEndAt(first);
      if (first >= text.length || text.charCodeAt(first) === Char.Newline) {
        if (contentIndent !== -1 && lineIndent > contentIndent) unsupported(); // spaces kept as content
        if (contentIndent === -1 && lineIndent > 0) unsupported(); // may decide the indent
        emptyBefore++;
        lineStart = lineEnd;
        continue;
      }
      if (contentIndent === -1) {
        if (lineIndent <= indent) break;
        contentIndent = lineIndent;
      } else if (lineIndent < contentIndent) break;
      const content = text.slice(lineStart + contentIndent, text.charCodeAt(lineEnd - 1) === Char.Newline ? lineEnd - 1 : lineEnd);
      if (folded) {
        if (lineIndent > contentIndent || (emptyBefore && !lines.length)) unsupported(); // breaks kept by rules left to `yaml`
        if (lines.length) lines.push(emptyBefore ? '\n'.repeat(emptyBefore) : ' ');
      } else if (lines.length) lines.push('\n'.repeat(emptyBefore + 1));
      else if (emptyBefore) lines.push('\n'.repeat(emptyBefore));
      lines.push(content);
      emptyBefore = 0;
      end = lineEnd;
      lineStart = lineEnd;
    }
    if (contentIndent === -1) unsupported(); // empty block scalar
    this.pos = end;
    const next = this.skipTrivia(end);
    for (let line = end; line < next; line = this.lineEndAt(line)) if (this.text.charCodeAt(line + this.indentAt(line)) === Char.Hash) unsupported();
    const value = lines.join('') + (strip ? '' : '\n');
    const scalar = new Scalar(value);
    scalar.range = [at, end, end];
    scalar.source = value;
    scalar.type = folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL;
    return scalar;
  }

  // ---- flow collections (one line) -------------------------------------------------------------

  /** `[...]` or `{...}` closed on its own line, holding scalars and flow collections. */
  private flowCollection(at: number): YAMLMap | YAMLSeq {
    const end = this.flowNode(at);
    const tail = this.lineTail(end.close, end.close);
    if (tail.valueEnd !== end.close) unsupported();
    end.node.range![2] = tail.nodeEnd;
    this.pos = tail.nodeEnd;
    return end.node;
  }

  private flowNode(at: number): { node: YAMLMap | YAMLSeq; close: number } {
    const { text } = this;
    const isMap = text.charCodeAt(at) === Char.OpenBrace;
    const closer = isMap ? Char.CloseBrace : Char.CloseBracket;
    this.enter();
    const node = isMap ? new YAMLMap(this.doc.schema) : new YAMLSeq(this.doc.schema);
    node.flow = true;
    let i = this.skipSpaces(at + 1);
    if (text.charCodeAt(i) !== closer) {
      for (;;) {
        const item = this.flowItem(i);
        i = item.next;
        if (isMap) {
          if (text.charCodeAt(i) !== Char.Colon || text.charCodeAt(i + 1) !== Char.Space) unsupported();
          if (isScalar(item.node)) item.node.range![2] = item.node.range![1]; // a scalar key leaves out the spaces before its `:`
          const value = this.flowItem(this.skipSpaces(i + 1));
          i = value.next;
          (node as YAMLMap).items.push(new Pair(item.node, value.node));
        } else (node as YAMLSeq).items.push(item.node);
        const c = text.charCodeAt(i);
        if (c === closer) break;
        if (c !== Char.Comma) unsupported();
        i = this.skipSpaces(i + 1); // a trailing or empty entry is declined by flowItem
      }
    }
    node.range = [at, i + 1, i + 1];
    this.depth--;
    return { node, close: i + 1 };
  }

  /** One flow entry (a key, a value or a sequence item) at `at`; `next` is after its trailing spaces. */
  private flowItem(at: number): { node: Node; next: number } {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === Char.OpenBracket || c === Char.OpenBrace) {
      const { node, close } = this.flowNode(at);
      const next = this.skipSpaces(close);
      node.range![2] = next; // like a scalar's, a nested collection's node takes in the spaces after it
      return { node, next };
    }
    let quoted: Quoted | undefined;
    let end: number;
    if (c === Char.Quote || c === Char.Apostrophe) {
      quoted = this.quoted(at);
      end = quoted.end;
    } else {
      if (NOT_PLAIN_START.has(c) || at >= text.length || c === Char.Newline) unsupported();
      if ((c === Char.Dash || c === Char.Question || c === Char.Colon) && !isPlainSafe(text.charCodeAt(at + 1))) unsupported();
      end = at;
      for (let i = at; i < text.length; i++) {
        const ch = text.charCodeAt(i);
        if (ch === Char.Newline || ch === Char.Comma || ch === Char.OpenBracket || ch === Char.CloseBracket || ch === Char.OpenBrace || ch === Char.CloseBrace) break;
        if (ch === Char.Colon) {
          const after = text.charCodeAt(i + 1);
          if (after === Char.Space || after === Char.Comma || after === Char.CloseBracket || after === Char.CloseBrace || after === Char.OpenBracket || after === Char.OpenBrace) break;
        }
        if (ch === Char.Hash && text.charCodeAt(i - 1) === Char.Space) unsupported(); // a comment inside the collection
        if (ch !== Char.Space) end = i + 1;
      }
    }
    const next = this.skipSpaces(end);
    const range: Range = [at, end, next];
    return { node: quoted ? quotedScalar(quoted, range) : this.plainScalar(text.slice(at, end), range), next };
  }

  // ---- scalars and keys ------------------------------------------------------------------------

  /**
   * An implicit key at `at` (plain or quoted, one line) followed by `:` and a space or the line end.
   * `yaml` reports an error when that `:` is over 1024 characters after the key's start, which for
   * it lies back at `from`, the end of the previous value, when that value is empty.
   */
  private implicitKey(at: number, from = at): { node: Scalar; colon: number } | undefined {
    const { text } = this;
    const c = text.charCodeAt(at);
    if (c === Char.Quote || c === Char.Apostrophe) {
      const quoted = this.quoted(at);
      const { end } = quoted;
      if (text.charCodeAt(end) !== Char.Colon || !this.spaceOrLineEnd(end + 1) || end - from > MAX_KEY_LENGTH) return undefined;
      return { node: quotedScalar(quoted, [at, end, end]), colon: end };
    }
    if (NOT_PLAIN_START.has(c) || this.isIndicatorWithSpace(at) || c === Char.Colon) return undefined;
    const plain = this.scanPlain(at);
    if (plain.colon === -1 || plain.colon - from > MAX_KEY_LENGTH) return undefined;
    return { node: this.plainScalar(text.slice(at, plain.end), [at, plain.end, plain.end]), colon: plain.colon };
  }

  /**
   * A plain scalar on one line from `at`: `end` after its last non-space character, `colon` the
   * offset of a `: ` (or line-ending `:`) inside it, or -1; `comment` whether a comment ends it.
   */
  private scanPlain(at: number): { end: number; colon: number; comment: boolean } {
    const { text } = this;
    let end = at;
    for (let i = at; i < text.length; i++) {
      const ch = text.charCodeAt(i);
      if (ch === Char.Newline) break;
      if (ch === Char.Hash && text.charCodeAt(i - 1) === Char.Space) return { end, colon: -1, comment: true };
      if (ch === Char.Colon && this.spaceOrLineEnd(i + 1)) return { end, colon: i, comment: false };
      if (ch !== Char.Space) end = i + 1;
    }
    return { end, colon: -1, comment: false };
  }

  /**
   * A quoted scalar; `end` is after the closing quote. With `indent` (a block value) it may span
   * lines indented more than that, folded as `yaml` folds them; without, it must close on its line.
   */
  private quoted(at: number, indent?: number): Quoted {
    const { text } = this;
    const quote = text.charCodeAt(at);
    let value = '';
    let from = at + 1;
    for (let i = from; ; i++) {
      const ch = text.charCodeAt(i);
      if (i >= text.length) unsupported();
      if (ch === Char.Newline) {
        if (indent === undefined) unsupported();
        // Spaces before a line break go; the break becomes a space, or n breaks if n empty lines follow.
        value += text.slice(from, i).replace(TRAILING_SPACES, '');
        let breaks = 0;
        let next = i + 1;
        for (; text.charCodeAt(next) === Char.Space || text.charCodeAt(next) === Char.Newline; next++) if (text.charCodeAt(next) === Char.Newline) breaks++;
        if (next >= text.length || next - this.lineStartOf(next) <= indent) unsupported();
        value += breaks ? '\n'.repeat(breaks) : ' ';
        from = next;
        i = next - 1;
      } else if (quote === Char.Apostrophe && ch === Char.Apostrophe) {
        value += text.slice(from, i);
        if (text.charCodeAt(i + 1) !== Char.Apostrophe) {
          from = i + 1;
          break;
        }
        value += "'";
        from = ++i + 1;
      } else if (quote === Char.Quote && ch === Char.Backslash) {
        const escape = text[i + 1] ?? '';
        const hexDigits = HEX_ESCAPE_DIGITS[escape];
        let escaped = ESCAPES[escape];
        if (hexDigits) {
          const hex = text.slice(i + 2, i + 2 + hexDigits);
          const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === hexDigits ? parseInt(hex, 16) : NaN;
          if (!(code <= 0x10ffff)) unsupported();
          escaped = String.fromCodePoint(code);
          i += hexDigits;
        }
        if (escaped === undefined) unsupported(); // also an escaped line break
        value += text.slice(from, i - (hexDigits ?? 0)) + escaped;
        from = ++i + 1;
      } else if (quote === Char.Quote && ch === Char.Quote) {
        value += text.slice(from, i);
        from = i + 1;
        break;
      }
    }
    return { value, type: quote === Char.Quote ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, end: from };
  }

  /** A plain scalar resolved by the schema's tags, as `yaml`'s composer does it. */
  private plainScalar(source: string, range: Range): Scalar {
    let resolved: Scalar | undefined;
    let format: string | undefined;
    if (MAY_NOT_BE_STRING.test(source)) {
      const tag = this.tags.find((t) => t.test!.test(source));
      if (tag) {
        const value = tag.resolve(source, () => unsupported(), this.doc.options);
        resolved = isScalar(value) ? value : new Scalar(value);
        format = tag.format;
      }
    }
    const scalar = resolved ?? new Scalar(source);
    scalar.range = range;
    scalar.source = source;
    scalar.type = Scalar.PLAIN;
    if (format) scalar.format = format;
    return scalar;
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) unsupported();
  }

  // ---- lines -----------------------------------------------------------------------------------

  /**
   * From `at` (after a value ending at `valueEnd`): spaces, an optional comment, the newline.
   * `valueEnd` moves past anything else found on the line (callers treat that as unsupported).
   */
  private lineTail(at: number, valueEnd: number): LineTail {
    const { text } = this;
    const i = this.skipSpaces(at);
    const c = text.charCodeAt(i);
    if (i >= text.length) return { valueEnd, nodeEnd: text.length };
    if (c === Char.Newline) return { valueEnd, nodeEnd: i + 1 };
    if (c === Char.Hash && (i > at || text.charCodeAt(i - 1) === Char.Space || text.charCodeAt(i - 1) === Char.Newline)) return { valueEnd, nodeEnd: this.lineEndAt(i) };
    return { valueEnd: i + 1, nodeEnd: this.lineEndAt(i) };
  }

  /** Start of the first line at or after `lineStart` that is neither blank nor a comment (or the text length). */
  private skipTrivia(lineStart: number, markersEnd = true): number {
    const next = this.triviaAt(lineStart).next;
    if (markersEnd && next < this.text.length && (this.isDocumentMarker(next, Char.Dot) || this.isDocumentMarker(next, Char.Dash))) unsupported();
    return next;
  }

  /** Whether a comment line lies between the line starts `from` and `to`. */
  private hasCommentLine(from: number, to: number): boolean {
    for (let lineStart = from; lineStart < to; lineStart = this.lineEndAt(lineStart)) if (this.text.charCodeAt(lineStart + this.indentAt(lineStart)) === Char.Hash) return true;
    return false;
  }

  private indentAt(lineStart: number): number {
    let i = lineStart;
    while (this.text.charCodeAt(i) === Char.Space) i++;
    return i - lineStart;
  }

  /** Offset after the newline ending the line that holds `at` (or the text length). */
  private lineEndAt(at: number): number {
    const nl = this.text.indexOf('\n', at);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private lineStartOf(at: number): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  private skipSpaces(at: number): number {
    while (this.text.charCodeAt(at) === Char.Space) at++;
    return at;
  }

  private spaceOrLineEnd(at: number): boolean {
    const c = this.text.charCodeAt(at);
    return at >= this.text.length || c === Char.Space || c === Char.Newline;
  }

  private isSeqItem(at: number): boolean {
    return this.text.charCodeAt(at) === Char.Dash && this.spaceOrLineEnd(at + 1);
  }

  /** `-`, `?` or `:` followed by a space or the line end: an indicator, never a plain scalar's start. */
  private isIndicatorWithSpace(at: number): boolean {
    const c = this.text[at];
    return (c === '-' || c === '?' || c === ':') && this.spaceOrLineEnd(at + 1);
  }

  private isDocumentMarker(lineStart: number, char: Char): boolean {
    const { text } = this;
    return text.charCodeAt(lineStart) === char && text.charCodeAt(lineStart + 1) === char && text.charCodeAt(lineStart + 2) === char && this.spaceOrLineEnd(lineStart + 3);
  }
}

/** Whether `c`, after a flow-context `-`, `?` or `:`, leaves it a plain scalar's first character. */
function isPlainSafe(c: number): boolean {
  return !(Number.isNaN(c) || c === Char.Space || c === Char.Newline || c === Char.Comma || c === Char.OpenBracket || c === Char.CloseBracket || c === Char.OpenBrace || c === Char.CloseBrace);
}

/** Whether a plain scalar may resolve to something other than a string in the core schema (cheap pre-test). */
const MAY_NOT_BE_STRING = /^(?:[-+.~0-9nNtTfF]|$)/;

/** Double-quoted escapes (YAML 1.2); an escaped line break is left to `yaml`. */
const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX_ESCAPE_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };
/** `(?<! )`: only a run's first space can start the match, so a long inner run is scanned once. */
const TRAILING_SPACES = /(?<! ) +$/;
