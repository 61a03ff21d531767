import type { Position, Range } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/**
 * A range an editor can show on this text: ordered, on existing lines, each end within its line's
 * length, with lines as LSP counts them (`\n`, `\r\n` and a lone `\r` end a line).
 */
export function rangeInside(doc: TextDocument, range: Range): boolean {
  const { start, end } = range;
  return valid(doc, start) && valid(doc, end) && (start.line < end.line || (start.line === end.line && start.character <= end.character));
}

function valid(doc: TextDocument, p: Position): boolean {
  if (p.line < 0 || p.line >= doc.lineCount || p.character < 0) return false;
  // offsetAt clamps to the end of the line, so an out-of-line character shows as a difference.
  return doc.offsetAt(p) === doc.offsetAt({ line: p.line, character: 0 }) + p.character;
}
