import { LineIndex } from './lineIndex';
import { moveSection, parseSection, type Section } from './section';
import { splitSections } from './split';
import type { Position, Range } from 'vscode-languageserver';

/** Where a file's parsed sections end, when it has more than the limit. */
export interface SectionLimit {
  /** How many sections were parsed (the limit). */
  readonly parsed: number;
  /** How many sections after them were not. */
  readonly skipped: number;
  /** File offset where the first section not parsed starts. */
  readonly offset: number;
}

/**
 * A YAML file: its text, a line index over the whole text, and its `---` sections, of which only
 * the first `maxSections` are parsed (bounded work on huge generated files; `limit` says where it stopped).
 */
export class YamlFile {
  readonly lines: LineIndex;

  private constructor(
    readonly uri: string,
    readonly version: number,
    readonly text: string,
    readonly sections: readonly Section[],
    readonly limit: SectionLimit | undefined,
  ) {
    this.lines = new LineIndex(text);
  }

  static parse(uri: string, text: string, version = 0): YamlFile {
    return YamlFile.reparse(uri, text, version, undefined).file;
  }

  /**
   * Re-splits `text` and re-parses only sections whose text is not found among `previous`'s
   * sections; unchanged ones are reused with shifted offsets. `changed` lists the new indexes of
   * sections that were parsed anew; `removed` the ids of previous sections no longer present.
   */
  static reparse(uri: string, text: string, version: number, previous: YamlFile | undefined, maxSections = Number.POSITIVE_INFINITY): Reparse {
    const reusable = new Map<string, Section[]>();
    for (const s of previous?.sections ?? []) {
      const list = reusable.get(s.text);
      if (list) list.push(s);
      else reusable.set(s.text, [s]);
    }
    const sections: Section[] = [];
    const changed: number[] = [];
    const slices = splitSections(text);
    const next = slices[maxSections];
    const limit = next && { parsed: maxSections, skipped: slices.length - maxSections, offset: next.start };
    for (const [index, slice] of slices.slice(0, maxSections).entries()) {
      const sectionText = text.slice(slice.start, slice.end);
      const old = reusable.get(sectionText)?.shift();
      if (old) sections.push(moveSection(old, index, slice.start));
      else {
        sections.push(parseSection(sectionText, index, slice.start));
        changed.push(index);
      }
    }
    const removed = [...reusable.values()].flat().map((s) => s.id);
    return { file: new YamlFile(uri, version, text, sections, limit), changed, removed };
  }

  /** The section holding file offset `offset` (the last one at the end of the text); none past the limit. */
  sectionAt(offset: number): Section | undefined {
    if (this.limit && offset >= this.limit.offset) return undefined;
    let lo = 0;
    let hi = this.sections.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.sections[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return this.sections[lo]!;
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  offsetAt(position: Position): number {
    return this.lines.offsetAt(position);
  }

  /** File range of a section-relative offset span. */
  range(section: Section, start: number, end: number): Range {
    return this.lines.range(section.start + start, section.start + end);
  }
}

export interface Reparse {
  readonly file: YamlFile;
  readonly changed: readonly number[];
  readonly removed: readonly number[];
}
