import { Composer, Document, Parser, YAMLWarning, type CST } from 'yaml';
import { PARSE_OPTIONS, parseCommonYaml } from './commonYaml';

/**
 * Alias expansion cap for every conversion of a parsed document to plain values (anchors bombs):
 * the AST itself never expands aliases, only `toJS` does.
 */
export const MAX_ALIAS_COUNT = 100;

/** Sections larger than this are parsed but not validated against schemas (bounded work). */
export const MAX_VALIDATED_SECTION_LENGTH = 4_000_000;

/**
 * Nesting of collections the server builds a tree for. Everything that walks a tree (composing it,
 * toJS, rules, folding) recurses once or more per level; `yaml`'s composer alone overflows the
 * stack at about 900 levels. Manifests nest a few dozen levels; Flux (Go's YAML) accepts 10,000.
 */
export const MAX_NESTING = 200;

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
  const doc = parseCommonYaml(own) ?? parseWithYaml(own);
  return { id: nextParseId++, index, start, text: own, doc };
}

/**
 * `yaml`'s parseDocument in its two steps, tokens (read without recursion) then the tree, so that
 * nesting deeper than MAX_NESTING is found before any recursion: such a section gets an empty tree
 * and a warning with the code RESOURCE_EXHAUSTION where the limit is passed.
 */
function parseWithYaml(text: string): Document.Parsed {
  const tokens = [...new Parser().parse(text)];
  const tooDeep = firstCollectionDeeperThan(MAX_NESTING, tokens);
  if (tooDeep !== undefined) {
    const doc = new Document(undefined, PARSE_OPTIONS) as Document.Parsed;
    doc.contents = null;
    doc.range = [0, text.length, text.length];
    doc.warnings.push(new YAMLWarning([tooDeep, tooDeep + 1], 'RESOURCE_EXHAUSTION', `nesting deeper than ${MAX_NESTING} levels is not checked`));
    return doc;
  }
  let first: Document.Parsed | undefined;
  // Like parseDocument with logLevel 'silent': the first document (a section holds one), the others ignored.
  for (const doc of new Composer(PARSE_OPTIONS).compose(tokens, true, text.length)) first ??= doc;
  return first!;
}

/** Offset of the first collection (in text order) nested deeper than `max` levels, if any. */
function firstCollectionDeeperThan(max: number, tokens: readonly CST.Token[]): number | undefined {
  // Depth-first with an explicit stack, children pushed last to first so they pop in text order.
  const stack: [CST.Token, number][] = tokens.map((t): [CST.Token, number] => [t, 0]).reverse();
  const push = (token: CST.Token | null | undefined, depth: number): void => {
    if (token) stack.push([token, depth]);
  };
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (token.type === 'document') push(token.value, depth);
    else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth === max) return token.offset;
      for (let i = token.items.length - 1; i >= 0; i--) {
        const item = token.items[i]!;
        push(item.value, depth + 1);
        push(item.key, depth + 1);
      }
    }
  }
  return undefined;
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
