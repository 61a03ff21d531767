/**
 * Rewrites applied to the text before encryption, where sops' re-emitting changes the layout:
 * aliases of mappings and sequences are expanded (sops expands them), and a flow-style top-level
 * mapping becomes block style (so the `sops:` block can follow it).
 */
import { isAlias, isMap, isScalar, isSeq, visit, type Document, type Node, type Scalar } from 'yaml';
import { SopsError } from './errors';
import type { TypedScalar } from './scalars';
import { inlineString, valueText } from './yaml-text';

/** Expansion larger than this is refused (an alias bomb). */
const MAX_EXPANSION = 1 << 20;

export type TypeOf = (scalar: Scalar, path: readonly string[]) => TypedScalar | null;

const LINE_TERMINATORS = '\n\r\u2028\u2029';

/**
 * The text without its quoted strings, as `text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'/g, '')`
 * leaves it, in linear time. With that regex each `"` that never closes (in a plain scalar such as
 * `x"\"\"\"…`) rescanned the rest of the text (40 KB: 3.6 s). Here a `"` whose scan failed at `f`
 * makes every `"` it skipped as escaped fail at `f` too (the scans align after it), so none rescans.
 */
export function withoutQuotedStrings(text: string): string {
  let kept = '';
  let from = 0;
  /** Every `"` before this offset is known not to close. */
  let doubleFailsBefore = 0;
  for (let i = 0; i < text.length; i++) {
    const quote = text[i];
    let end = -1;
    if (quote === '"' && i >= doubleFailsBefore) {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') {
        if (text[j] !== '\\') j++;
        else if (j + 1 < text.length && !LINE_TERMINATORS.includes(text[j + 1]!)) j += 2;
        else break;
      }
      if (text[j] === '"') end = j + 1;
      else doubleFailsBefore = j;
    } else if (quote === "'") {
      // `''` is an escaped quote; at the end of the text the last `''` closes the string instead.
      let lastPair = -1;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] !== "'") continue;
        if (text[j + 1] !== "'") break;
        lastPair = j++;
      }
      if (j < text.length) end = j + 1;
      else if (lastPair >= 0) end = lastPair + 1;
    }
    if (end < 0) continue;
    kept += text.slice(from, i);
    from = end;
    i = end - 1;
  }
  return kept + text.slice(from);
}

function render(doc: Document.Parsed, node: Node | null, typeOf: TypeOf, budget: { left: number }, depth: number): string {
  if (depth > 100) throw new SopsError('format', 'Error unmarshalling input yaml: aliases nest too deep');
  const target = isAlias(node) ? (node.resolve(doc) ?? null) : node;
  let out: string;
  if (isMap(target)) {
    const pairs = target.items.map((p) => {
      const key = isScalar(p.key) ? inlineString(String(p.key.value ?? ''), true) : '""';
      return `${key}: ${render(doc, (p.value ?? null) as Node | null, typeOf, budget, depth + 1)}`;
    });
    out = `{${pairs.join(', ')}}`;
  } else if (isSeq(target)) {
    out = `[${target.items.map((i) => render(doc, i as Node, typeOf, budget, depth + 1)).join(', ')}]`;
  } else {
    const typed = isScalar(target) ? typeOf(target, []) : null;
    out = typed === null ? 'null' : valueText(typed, true, 0);
  }
  budget.left -= out.length;
  if (budget.left < 0) throw new SopsError('format', 'Error unmarshalling input yaml: aliases expand to more than 1 MiB');
  return out;
}

/**
 * Aliases of scalars are handled where they stand; an alias of a mapping or sequence is replaced
 * by a one-line flow copy of what it points to (typed values kept, comments dropped, as sops'
 * re-emitted file would have them). Undefined when there is no such alias.
 */
export function expandCollectionAliases(source: string, docs: readonly Document.Parsed[], typeOf: TypeOf): string | undefined {
  const edits: { start: number; end: number; text: string }[] = [];
  const budget = { left: MAX_EXPANSION };
  for (const doc of docs) {
    visit(doc, {
      Alias(_key, alias) {
        const target = alias.resolve(doc);
        if (!target || isScalar(target) || !alias.range) return;
        edits.push({ start: alias.range[0], end: alias.range[1], text: render(doc, alias, typeOf, budget, 0) });
      },
    });
  }
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** A top-level `{a: 1, b: [x]}` as block lines `a: 1` / `b: [x]`; undefined when there is none. */
export function blockTopLevelFlowMaps(source: string, docs: readonly Document.Parsed[]): string | undefined {
  const edits: { start: number; end: number; text: string }[] = [];
  for (const doc of docs) {
    const root = doc.contents;
    if (!isMap(root) || !root.flow || !root.range) continue;
    const text = (node: unknown): string => {
      const range = (node as Node | null)?.range;
      // Continuation lines of a multi-line flow value must be indented under a block key.
      return range ? source.slice(range[0], range[1]).replace(/\n/g, '\n  ') : '';
    };
    const lines = root.items.map((p) => `${text(p.key)}: ${text(p.value)}`.trimEnd());
    if (/(^|\s)#/.test(withoutQuotedStrings(source.slice(root.range[0], root.range[1])))) {
      throw new SopsError('format', 'a flow-style top-level mapping with comments inside cannot be encrypted in-process; write it in block style');
    }
    edits.push({ start: root.range[0], end: root.range[1], text: lines.join('\n') });
  }
  if (edits.length === 0) return undefined;
  edits.sort((a, b) => b.start - a.start);
  let out = source;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
