/** Where each `---` section of a multi-document YAML file starts and ends (file offsets). */
export interface SectionSlice {
  readonly start: number;
  readonly end: number;
}

/**
 * Splits at every line that starts with `---` followed by whitespace or the end of the line.
 * Such a line always ends the previous document in YAML (a block scalar cannot hold it at
 * column 0), so each section can be parsed on its own. The marker stays in its section.
 */
export function splitSections(text: string): SectionSlice[] {
  const slices: SectionSlice[] = [];
  let start = 0;
  for (let lineStart = 0; lineStart < text.length; ) {
    if (lineStart > 0 && isDocumentStart(text, lineStart)) {
      slices.push({ start, end: lineStart });
      start = lineStart;
    }
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  slices.push({ start, end: text.length });
  return slices;
}

function isDocumentStart(text: string, at: number): boolean {
  if (text.charCodeAt(at) !== 45 || text.charCodeAt(at + 1) !== 45 || text.charCodeAt(at + 2) !== 45) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}
