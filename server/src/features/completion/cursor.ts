import type { Range, TextEdit } from 'vscode-languageserver';
import type { PathSegment } from '../../documents/nodes';
import type { PositionContext } from '../context';

/**
 * Where the cursor is, read from the text by indentation (robust while the YAML is being typed
 * and does not parse): completing a key of the mapping at `path`, or a scalar at `valuePath`.
 * Numbers in paths stand for "an item of the list".
 */
export interface CursorContext {
  /** `value` after `key:`; `key` elsewhere, including a list item started on the cursor line. */
  readonly mode: 'key' | 'value';
  readonly path: readonly PathSegment[];
  /**
   * Where a scalar typed at the cursor would sit: the value of `key:` (`[...path, key]`, plus an
   * item for `key: [a, |`), or a list item started on the cursor line (`- |`, which may as well
   * become its mapping's first key: `path` then ends with that item too).
   */
  readonly valuePath: readonly PathSegment[] | undefined;
  /** Text already typed, replaced by the completion. */
  readonly prefix: string;
  /** The word at the cursor, replaced by the completion: the prefix and the rest of the word after the cursor. */
  readonly replace: Range;
  /** Keys already present in the mapping at `path` (key mode). */
  readonly siblings: ReadonlySet<string>;
  /** Column of the key being completed. */
  readonly column: number;
  /**
   * How far the cursor line's `- ` markers move the key right of the line's leading whitespace:
   * clients indent the further lines of a completion by that whitespace only (adjustIndentation).
   */
  readonly markerWidth: number;
  /** Whether the section holds nothing but the word being typed (skeleton snippets). */
  readonly emptySection: boolean;
  /** Text to put before what is completed: a space right after `key:` or a bare `-`. */
  readonly separator: string;
}

interface Line {
  readonly indent: number;
  /** Column of the content after any `- ` markers. */
  readonly content: number;
  /** Columns of the line's `- ` markers, each starting a list item (`- - a` is an item of an item). */
  readonly markers: readonly number[];
  /** `key` of a `key:` line, if it is one. */
  readonly key: string | undefined;
  /** Whether `key:` has a value on the same line. */
  readonly inlineValue: boolean;
}

/**
 * `key:` with an optional value. Every quantifier meets a character it cannot take (the key runs
 * greedily to the first `:`; its trailing blanks are trimmed after): with a lazy key followed by
 * `\s*:`, a long run of blanks was rescanned from each of its characters.
 */
const KEY_LINE = /^([^\s#'"{[\]}&*!|>%@`,?:-][^#:]*|"[^"]*"\s*|'[^']*'\s*):(?:\s+(\S.*)?)?$/;
/** How far up the cursor context looks for parent keys. */
const MAX_LINES_UP = 2000;

/** Lines longer than this are not read as keys (bounded regex work on minified or generated lines). */
const MAX_LINE = 2000;

function parseLine(text: string): Line | undefined {
  if (text.length > MAX_LINE) return undefined;
  const indent = text.length - text.trimStart().length;
  let rest = text.slice(indent);
  if (rest === '' || rest.startsWith('#')) return undefined;
  let content = indent;
  const markers: number[] = [];
  while (/^-(\s+|$)/.test(rest)) {
    const m = /^-\s*/.exec(rest)![0];
    markers.push(content);
    content += m.length;
    rest = rest.slice(m.length);
  }
  // The comment starts at a blank run's first character only; it runs to the end of the line.
  const m = KEY_LINE.exec(rest.replace(/(?<!\s)\s+#[^]*$/, ''));
  const key = m ? m[1]!.trimEnd().replace(/^["']|["']$/g, '') : undefined;
  return { indent, content, markers, key, inlineValue: !!m?.[2]?.trim() };
}

/**
 * Cursor contexts of the requests being answered: the engine gives every completion provider of a
 * request the same PositionContext (one document version and position), so the scan of up to
 * 2 x MAX_LINES_UP lines runs once per request however many providers ask.
 */
const perRequest = new WeakMap<PositionContext, CursorContext | null>();

export function cursorContext(ctx: PositionContext): CursorContext | undefined {
  let cursor = perRequest.get(ctx);
  if (cursor === undefined) perRequest.set(ctx, (cursor = readCursorContext(ctx) ?? null));
  return cursor ?? undefined;
}

function readCursorContext(ctx: PositionContext): CursorContext | undefined {
  const { file, section, position } = ctx;
  const lineText = file.lines.lineText(position.line);
  const before = lineText.slice(0, position.character);
  if (before.length > MAX_LINE) return undefined;
  const sectionFirstLine = file.positionAt(section.start).line;

  // `key: va|` completes the value; so does `key:|` (the completion then starts with a space).
  // The key (group 3, trimmed where used) runs greedily to the first `:`, as in KEY_LINE.
  const colon = /^(\s*)((?:-\s+)*)([^\s#'"{[\]},&*!|>%@`-][^:#]*):(\s*)(\[[^[\]{}#]*|\S*)$/.exec(before);
  // `key:value` without a space is a plain scalar in YAML, not a key with a value.
  const valueMatch = colon && (colon[4] !== '' || colon[5] === '') ? colon : null;
  // `key: [a, b|`: an item of a one-line flow sequence.
  const value = valueMatch?.[5] ?? '';
  const flowItem = value.startsWith('[') ? /^\[(?:[^[\]{},]*,)*\s*([^\s[\]{},]*)$/.exec(value) : undefined;
  if (flowItem === null) return undefined;
  // A bare `-` ends the dashes too: `-|` starts a list item (the completion then starts with a space).
  const keyMatch = /^(\s*)((?:-(?:\s+|$))*)([\w./-]*)$/.exec(before);
  if (!valueMatch && !keyMatch) return undefined;
  const m = (valueMatch ?? keyMatch)!;
  const needsSpace = valueMatch ? valueMatch[4] === '' && value === '' : m[2]!.endsWith('-');
  const column = m[1]!.length + m[2]!.length + (needsSpace && !valueMatch ? 1 : 0);
  const prefix = flowItem ? flowItem[1]! : valueMatch ? value : keyMatch![3]!;
  // The rest of the word (`-|x`, `- orig|inAnno`) goes too, so the completion does not end up in front of it.
  const rest = flowItem ? /^[^\s[\]{},]*/ : valueMatch ? /^\S*/ : /^[\w./-]*/;
  const suffix = rest.exec(lineText.slice(position.character, position.character + MAX_LINE))![0];
  const replace: Range = { start: { line: position.line, character: position.character - prefix.length }, end: { line: position.line, character: position.character + suffix.length } };

  const path: PathSegment[] = listItems(m[2]!.split('-').length - 1);
  let col = column;
  // The cursor line's own `- ` markers start list items, one per marker: their parent is the key above the first.
  let afterItem = path.length > 0;
  let dashColumn = m[1]!.length;
  const siblings = new Set<string>();
  let collecting = !afterItem;
  for (let ln = position.line - 1; ln >= sectionFirstLine && ln >= position.line - MAX_LINES_UP; ln--) {
    const line = parseLine(file.lines.lineText(ln));
    if (!line) continue;
    const opensBlock = line.key !== undefined && !line.inlineValue;
    if (afterItem) {
      // Looking for the key holding the list whose items start at dashColumn.
      if (line.indent > dashColumn) continue;
      const sibling = line.markers.indexOf(dashColumn);
      if (sibling >= 0) {
        // An earlier item of that list; behind other markers (`- - a`), the list is an item of theirs.
        path.unshift(...listItems(sibling));
        dashColumn = line.indent;
        continue;
      }
      if (!opensBlock || (line.markers.length > 0 && line.content > dashColumn)) break;
      path.unshift(line.key!);
      if (line.markers.length > 0) {
        // `- key:` opens a list item itself.
        path.unshift(...listItems(line.markers.length));
        dashColumn = line.indent;
      } else {
        col = line.indent;
        afterItem = false;
      }
      continue;
    }
    if (line.markers.length > 0 && line.content === col) {
      // The first key of the list item we are in.
      if (collecting && line.key) siblings.add(line.key);
      collecting = false;
      path.unshift(...listItems(line.markers.length));
      afterItem = true;
      dashColumn = line.indent;
      continue;
    }
    if (line.content >= col) {
      if (collecting && line.markers.length === 0 && line.indent === col && line.key) siblings.add(line.key);
      continue;
    }
    // A line left of the cursor's column: the parent key, or the end of what we can understand.
    if (!opensBlock) break;
    collecting = false;
    path.unshift(line.key!);
    if (line.markers.length > 0) {
      path.unshift(...listItems(line.markers.length));
      afterItem = true;
      dashColumn = line.indent;
    } else col = line.indent;
  }
  collectBelow(ctx, position.line, column, siblings);
  // Only a short section can be empty but for the word typed (a comment header at most). A comment
  // line's indent stops at its line's end: `^\s*` ran on over every blank line below each line start.
  const emptySection = section.text.length < 10_000 && section.text.replace(/^---.*$/m, '').replace(/^[^\S\n\r\u2028\u2029]*#.*$/gm, '').trim() === prefix + suffix;
  const valuePath = valueMatch ? [...path, valueMatch[3]!.trim(), ...(flowItem ? [0] : [])] : m[2]!.length > 0 ? path : undefined;
  return { mode: valueMatch ? 'value' : 'key', path, valuePath, prefix, replace, siblings, column, markerWidth: column - m[1]!.length, emptySection, separator: needsSpace ? ' ' : '' };
}

/** The edit that puts `text` in place of the word at the cursor, after the separator it needs there. */
export function cursorEdit(cursor: CursorContext, text: string): TextEdit {
  return { range: cursor.replace, newText: cursor.separator + text };
}

/** Keys at the same column below the cursor, until the mapping ends. */
function collectBelow(ctx: PositionContext, fromLine: number, column: number, siblings: Set<string>): void {
  const { file, section } = ctx;
  const last = file.positionAt(section.start + section.text.length).line;
  for (let ln = fromLine + 1; ln <= last && ln <= fromLine + MAX_LINES_UP; ln++) {
    const line = parseLine(file.lines.lineText(ln));
    if (!line) continue;
    if (line.indent < column || (line.markers.length > 0 && line.indent <= column)) break;
    if (line.indent === column && line.key) siblings.add(line.key);
  }
}

/** Path segments for `n` nested list items (one per `- ` marker). */
function listItems(n: number): PathSegment[] {
  return new Array<PathSegment>(n).fill(0);
}
