/** Where each `---` section of a multi-document YAML file starts and ends (file offsets). */
export interface SectionSlice {
  readonly start: number;
  readonly end: number;
}

/**
 * Splits at every line that starts with `---` followed by whitespace or the end of the line.
 * Such a line always ends the previous document in YAML (a block scalar cannot hold it at
 * column 0), so each section can be parsed on its own. The marker stays in its section, and so do
 * the directives (`%YAML`, `%TAG`) before it: they belong to the document the marker starts, so a
 * directives prologue (at the start of the text or after a `...` document end marker) opens the
 * section instead of the marker.
 */
export function splitSections(text: string): SectionSlice[] {
  const slices: SectionSlice[] = [];
  let start = 0;
  /** Whether only directives, comments and blank lines were read since the section start or a `...`. */
  let inPrologue = true;
  /** Offset of the first directive of that prologue, if any. */
  let directives: number | undefined;
  for (let lineStart = 0; lineStart < text.length; ) {
    if (isMarker(text, lineStart, DASH)) {
      const cut = directives ?? lineStart;
      if (cut > start) {
        slices.push({ start, end: cut });
        start = cut;
      }
      inPrologue = false;
      directives = undefined;
    } else if (isMarker(text, lineStart, DOT)) {
      inPrologue = true;
      directives = undefined;
    } else if (inPrologue && text.charCodeAt(lineStart) === PERCENT) {
      directives ??= lineStart;
    } else if (!isBlankOrComment(text, lineStart)) {
      inPrologue = false;
      directives = undefined;
    }
    const nl = text.indexOf('\n', lineStart);
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  slices.push({ start, end: text.length });
  return slices;
}

const DASH = 45;
const DOT = 46;
const PERCENT = 37;

/** `---` or `...` at `at`, followed by whitespace or the end of the line. */
function isMarker(text: string, at: number, char: number): boolean {
  if (text.charCodeAt(at) !== char || text.charCodeAt(at + 1) !== char || text.charCodeAt(at + 2) !== char) return false;
  const next = text.charCodeAt(at + 3);
  return Number.isNaN(next) || next === 32 || next === 9 || next === 10 || next === 13;
}

function isBlankOrComment(text: string, at: number): boolean {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 35) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}
