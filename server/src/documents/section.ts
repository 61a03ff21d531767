import { parseDocument, type Document } from 'yaml';
import { PARSE_OPTIONS, parseCommonYaml } from './commonYaml';

/**
 * Alias expansion cap for every conversion of a parsed document to plain values (anchors bombs):
 * the AST itself never expands aliases, only `toJS` does.
 */
export const MAX_ALIAS_COUNT = 100;

/** Sections larger than this are parsed but not validated against schemas (bounded work). */
export const MAX_VALIDATED_SECTION_LENGTH = 4_000_000;

let nextParseId = 1;

/**
 * One `---` section of a file, parsed on its own. Offsets inside `doc` are relative to the
 * section; `start` is the section's offset in its file. A section whose text did not change is
 * reused with a new `start` and `index`: `doc` and `id` stay the same object and number.
 */
export interface Section {
  /** Identity of the parse: equal ids mean the same text and the same `doc`. */
  readonly id: number;
  /** Position of the section in its file (0-based). */
  readonly index: number;
  /** Offset of the section's first character in the file. */
  readonly start: number;
  readonly text: string;
  readonly doc: Document.Parsed;
}

export function parseSection(text: string, index: number, start: number): Section {
  const own = ownCopy(text);
  // The common subset of YAML that manifests use parses several times faster on its own; the rest goes to `yaml`.
  const doc = parseCommonYaml(own) ?? parseDocument(own, PARSE_OPTIONS);
  return { id: nextParseId++, index, start, text: own, doc };
}

/**
 * A flat copy of a section's text. A slice of the file text would keep that whole version of the
 * file alive (V8 slices point into their parent), and so would every scalar the parser slices from
 * it: a section reused across many edits would pin one old copy of the file per edit.
 */
function ownCopy(text: string): string {
  return text.length < 16 ? text : Buffer.from(text, 'utf16le').toString('utf16le');
}

export function moveSection(section: Section, index: number, start: number): Section {
  return section.index === index && section.start === start ? section : { ...section, index, start };
}

/** Plain JavaScript value of a section, with alias expansion capped; undefined when it fails. */
export function sectionValue(section: Section): unknown {
  try {
    return section.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
}
