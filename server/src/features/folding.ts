import { isMap, isSeq, type Node } from 'yaml';
import type { FoldingRange } from 'vscode-languageserver';
import type { YamlFile } from '../documents/yamlFile';
import type { Section } from '../documents/section';

/** Bound on folding ranges per file (clients cap them anyway; huge files stay cheap). */
const MAX_RANGES = 5000;

/** Folding per `---` section, and per multi-line mapping or sequence value inside it. */
export function foldingRanges(file: YamlFile): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const add = (startLine: number, endLine: number): void => {
    if (endLine > startLine && ranges.length < MAX_RANGES) ranges.push({ startLine, endLine });
  };
  for (const section of file.sections) {
    const first = file.positionAt(section.start).line;
    const last = file.positionAt(Math.max(section.start, section.start + section.text.trimEnd().length)).line;
    add(first, last);
    const contents = section.doc.contents as Node | null;
    if (contents) walk(file, section, contents, add, 0);
  }
  return ranges;
}

function walk(file: YamlFile, section: Section, node: Node, add: (s: number, e: number) => void, depth: number): void {
  if (depth > 100) return;
  const items = isMap(node) ? node.items.map((p) => ({ start: (p.key as Node | null)?.range?.[0], value: p.value as Node | null })) : isSeq(node) ? node.items.map((n) => ({ start: (n as Node).range?.[0], value: n as Node | null })) : [];
  for (const { start, value } of items) {
    if (!value || !(isMap(value) || isSeq(value)) || !value.range || start === undefined) continue;
    const end = section.text.slice(0, value.range[1]).trimEnd().length;
    add(file.positionAt(section.start + start).line, file.positionAt(section.start + end).line);
    walk(file, section, value, add, depth + 1);
  }
}
