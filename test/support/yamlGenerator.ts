// A seeded, structure-aware generator of YAML documents in and around the common subset that the
// fast parser (server/src/documents/commonYaml.ts) handles: nested block maps and sequences in every
// layout (compact `- k: v`, `- - x`, sequences as indented as their key, root sequences, indented
// roots), keys and scalars of every kind, multi-line plain and quoted scalars, block scalars, one-line
// flow collections, and comments, blank lines and trailing spaces everywhere. At a low rate it also
// writes constructs outside the subset (anchors, tags, tabs, explicit keys, multi-line flow, keep
// chomping, CRLF, bad indentation...), so that the parser's declining paths are exercised too.
import { seededRandom } from './seededRandom';

/** The `count` documents of the seed `seed`; the same seed always gives the same documents. */
export function generateYamlDocuments(count: number, seed: number): string[] {
  const generator = new YamlGenerator(seededRandom(seed));
  return Array.from({ length: count }, () => generator.document());
}

/** Share of documents (and of the points inside them) that get a construct outside the subset. */
const OUTSIDE_RATE = 0.04;
const MAX_DEPTH = 4;

const WORDS = ['a', 'name', 'spec', 'app.kubernetes.io/name', 'x-y', 'v1', 'ns_1', 'Kind', 'é', '😀'];
const PLAIN_TEXT = ['nginx:1.2', 'https://x/#frag', 'a#b', '-x', 'a-b', 'a?b', 'a:b', 'a :b', 'x y  z', '1.2.3', '%s', 'a,b', 'a]b', 'a}b', '"q" x', "it's", '=', '<<', '-', '.', '~x', 'true-ish', 'a:', 'a::b', 'x :y', '-.', '?', ':x', 'a\\b', 'a  #b'];
const NUMBERS = ['0', '12', '-3', '+4', '007', '0o17', '0o8', '0x1F', '0xg', '1.5', '1.50', '-0.0', '.5', '5.', '1e3', '1E-2', '+1.2e+3', '.inf', '-.Inf', '+.INF', '.nan', '.NaN', '1_000', '0b101', '9007199254740993', '-0x1', '+0o7', '012', '0.', '-.5', '+.5', '1e', '1.0e+', '0x', '-0', '1__0', '1.2e3.4', '0xFFFFFFFFFFFFFFFFF', '1e400'];
const WORDS_THAT_RESOLVE = ['null', 'Null', 'NULL', '~', 'true', 'True', 'TRUE', 'false', 'False', 'yes', 'no', 'on', 'off', 'nULL', 'tRUE'];
const DATES = ['2020-01-01', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2020-1-1'];
const ESCAPES = ['\\n', '\\t', '\\\\', '\\"', '\\/', '\\x41', '\\u00e9', '\\U0001F600', '\\0', '\\ ', '\\_', '\\N', '\\e', '\\q', '\\x4', '\\uD800'];

class YamlGenerator {
  private lines: string[] = [];
  /** Whether the current document gets constructs outside the subset. */
  private outside = false;
  /** How likely each point between lines of the current document gets another blank or comment line. */
  private triviaRate = 0.2;

  constructor(private readonly random: () => number) {}

  document(): string {
    this.lines = [];
    this.outside = this.chance(OUTSIDE_RATE * 5);
    this.triviaRate = this.pick([0.05, 0.2, 0.4]);
    if (this.outside && this.chance(0.1)) this.lines.push('%YAML 1.2');
    for (let i = this.int(3); i > 0; i--) this.trivia(this.int(4));
    if (this.chance(0.3)) this.lines.push(this.pick(['---', '--- # start', '---  ', '---\t# tab']));
    this.trivia(2);
    const indent = this.chance(0.15) ? 1 + this.int(3) : 0;
    const root = this.int(10);
    if (root < 6) this.map(indent, 0);
    else if (root < 9 || this.chance(0.7)) this.seq(indent, 0);
    else this.lines.push(' '.repeat(indent) + this.scalar());
    for (let i = this.int(3); i > 0; i--) this.trivia(indent + 3);
    if (this.outside && this.chance(0.1)) this.lines.push(this.pick(['...', '---', '--- b']));
    if (this.outside && this.chance(0.2)) this.badIndentation();
    let text = this.lines.join('\n') + (this.chance(0.8) ? '\n' : '');
    if (this.outside && this.chance(0.1)) text = text.replace(/\n/g, '\r\n');
    if (this.outside && this.chance(0.15)) text = text.replace(/ /, '\t');
    return text;
  }

  // ---- collections ---------------------------------------------------------------------------

  /** A block mapping with its keys at column `indent`. */
  private map(indent: number, depth: number, firstLinePrefix?: string): void {
    for (let i = 0, n = 1 + this.int(4); i < n; i++) {
      const prefix = i === 0 && firstLinePrefix !== undefined ? firstLinePrefix : ' '.repeat(indent);
      if (this.rare()) {
        this.lines.push(`${prefix}? ${this.key()}`);
        this.lines.push(`${' '.repeat(indent)}: ${this.scalar()}`);
      } else this.value(`${prefix}${this.key()}${this.chance(0.05) ? ' '.repeat(1 + this.int(2)) : ''}:`, indent, depth, true);
      this.trivia(indent + 4);
    }
  }

  /** A block sequence with its `-` at column `indent`. */
  private seq(indent: number, depth: number, firstLinePrefix?: string): void {
    for (let i = 0, n = 1 + this.int(4); i < n; i++) {
      const prefix = i === 0 && firstLinePrefix !== undefined ? firstLinePrefix : ' '.repeat(indent);
      this.value(`${prefix}-`, indent, depth, false);
      this.trivia(indent + 4);
    }
  }

  /** The value after `head` (`key:` or `-`), whose key or dash is at column `indent`. */
  private value(head: string, indent: number, depth: number, inMap: boolean): void {
    const nested = depth < MAX_DEPTH ? this.int(inMap ? 10 : 13) : 0;
    const space = this.chance(0.9) ? ' ' : ' '.repeat(2 + this.int(3));
    if (nested === 7 || nested === 8 || nested === 9) {
      // Nested collection on the following lines (a sequence may stay at the key's column).
      this.lines.push(head + this.trailer(true));
      this.trivia(indent + 3);
      const sameColumn = inMap && this.chance(0.4);
      const childIndent = sameColumn ? indent : indent + 1 + this.int(this.rare() ? 1 : 4);
      if (nested === 7 && !sameColumn) this.map(childIndent, depth + 1);
      else this.seq(childIndent, depth + 1);
      return;
    }
    if (nested >= 10) {
      // Compact collection on the dash's line: `- k: v` or `- - x`.
      const prefix = head + space;
      const column = prefix.length;
      if (nested === 12) this.seq(column, depth + 1, prefix);
      else this.map(column, depth + 1, prefix);
      return;
    }
    const kind = this.int(20);
    if (kind < 2) {
      this.lines.push(head + this.trailer(true)); // empty value
    } else if (kind < 5) {
      this.blockScalar(head + space, indent);
    } else if (kind < 7) {
      this.lines.push(head + space + this.flow(0) + this.trailer(false));
      if (this.rare()) this.lines.push(`${' '.repeat(indent + 1)}[more, ${this.scalarText()}]`);
    } else if (kind < 10) {
      this.multiLine(head + space, indent);
    } else {
      this.lines.push(head + space + this.decorate(this.scalar()) + this.trailer(false));
    }
  }

  // ---- scalars -------------------------------------------------------------------------------

  private key(): string {
    if (this.chance(0.003)) return this.longKey();
    const kind = this.int(12);
    if (kind < 6) return this.pick(WORDS) + (this.chance(0.2) ? ` ${this.pick(WORDS)}` : '');
    if (kind < 8) return this.quoted();
    if (kind < 9) return this.pick(NUMBERS);
    if (kind < 10) return this.pick(WORDS_THAT_RESOLVE);
    if (kind < 11) return this.pick(PLAIN_TEXT);
    return this.decorate(this.pick(WORDS));
  }

  /** A key about 1024 characters long, where `yaml`'s limit on implicit keys lies (counted up to the `:`). */
  private longKey(): string {
    const text = 'k'.repeat(1018 + this.int(8));
    if (this.chance(0.5)) return text + ' '.repeat(this.int(4));
    const quote = this.pick(['"', "'"]);
    return quote + text + quote;
  }

  /** A one-line scalar, plain or quoted. */
  private scalar(): string {
    return this.chance(0.25) ? this.quoted() : this.scalarText();
  }

  private scalarText(): string {
    return this.pick([WORDS, PLAIN_TEXT, NUMBERS, WORDS_THAT_RESOLVE, DATES][this.int(5)]!);
  }

  /** A one-line quoted scalar with escapes, doubled quotes, spaces and indicators. */
  private quoted(): string {
    const double = this.chance(0.6);
    const parts: string[] = [];
    for (let i = this.int(5) - 1; i >= 0; i--) {
      const kind = this.int(6);
      if (kind === 0) parts.push(double ? this.pick(ESCAPES.slice(0, this.rare() ? ESCAPES.length : 13)) : "''");
      else if (kind === 1) parts.push(' '.repeat(1 + this.int(2)));
      else if (kind === 2) parts.push(this.pick(['#', ': ', ' #', '- ', '[', '{', '&', '*', double ? "'" : '"']));
      else parts.push(this.scalarText());
    }
    const quote = double ? '"' : "'";
    return quote + parts.join('') + quote;
  }

  /** A plain or quoted scalar over several lines (continuation lines indented past `indent`, empty lines between). */
  private multiLine(prefix: string, indent: number): void {
    const quoted = this.chance(0.4);
    const first = quoted ? this.quoted().slice(0, -1) : this.pick(WORDS);
    const quote = quoted ? first[0] : '';
    this.lines.push(prefix + first + (this.chance(0.2) ? '  ' : ''));
    for (let i = 1 + this.int(3); i > 0; i--) {
      if (this.chance(0.3)) for (let e = 1 + this.int(2); e > 0; e--) this.lines.push(' '.repeat(this.int(indent + 4)));
      if (this.rare()) this.lines.push(`${' '.repeat(indent + 2)}# inside`);
      const column = this.rare() ? Math.max(0, indent) : indent + 1 + this.int(4);
      const text = this.pick([...WORDS, ...PLAIN_TEXT, '- item', '"q"', '[x]', '#', 'a # b', ': x', 'k: v', '\\']);
      this.lines.push(' '.repeat(column) + text + (this.chance(0.2) ? ' ' : ''));
    }
    const last = this.lines.length - 1;
    if (quoted) this.lines[last] += quote;
    this.lines[last] += this.trailer(false);
  }

  /** A literal or folded block scalar: blank lines (with and without spaces) and more-indented lines. */
  private blockScalar(prefix: string, indent: number): void {
    const chomping = this.rare() ? this.pick(['+', '2', '-2', '1+']) : this.pick(['', '', '-']);
    this.lines.push(`${prefix}${this.pick(['|', '>'])}${chomping}${this.trailer(true)}`);
    const content = Math.max(0, indent) + 1 + this.int(3);
    if (this.chance(0.1)) this.lines.push(' '.repeat(this.int(content + 2)));
    for (let i = 1 + this.int(4); i > 0; i--) {
      const kind = this.int(8);
      if (kind === 0) this.lines.push('');
      else if (kind === 1) this.lines.push(' '.repeat(1 + this.int(content + 2)));
      else if (kind === 2) this.lines.push(' '.repeat(content + 1 + this.int(2)) + this.pick(WORDS));
      else this.lines.push(' '.repeat(content) + this.pick([...WORDS, ...PLAIN_TEXT, '# not a comment', 'k: v', '- x']) + (this.chance(0.1) ? ' ' : ''));
    }
  }

  /** A one-line flow collection, nested up to a few levels, with spaces inside. */
  private flow(depth: number): string {
    const isMap = this.chance(0.4);
    const sp = () => (this.chance(0.3) ? ' ' : '');
    const items: string[] = [];
    for (let i = this.chance(0.15) ? 0 : 1 + this.int(3); i > 0; i--) {
      const item = depth < 2 && this.chance(0.25) ? this.flow(depth + 1) : this.flowScalar();
      items.push(isMap ? `${this.flowScalar()}${this.chance(0.1) ? ' ' : ''}:${this.chance(0.95) ? ' ' : ''}${item}` : item);
    }
    if (this.rare()) items.push(this.pick(['', '-', '? a', 'a: b: c']));
    const [open, close] = isMap ? ['{', '}'] : ['[', ']'];
    return open + sp() + items.join(`${sp()},${this.chance(0.9) ? ' ' : ''}`) + sp() + close;
  }

  private flowScalar(): string {
    if (this.chance(0.2)) return this.quoted();
    return this.pick([...WORDS.slice(0, 7), ...NUMBERS.slice(0, 10), ...WORDS_THAT_RESOLVE.slice(0, 6), 'a:b', 'http://x', '-x', 'a b', 'a#b', 'x :y', 'a?', '.5', '😀', '"q"x', '*']);
  }

  // ---- trivia and constructs outside the subset ----------------------------------------------

  /** Zero or more blank or comment lines, comments at any column up to `maxColumn`. */
  private trivia(maxColumn: number): void {
    while (this.chance(this.triviaRate)) {
      const kind = this.int(3);
      if (kind === 0) this.lines.push('');
      else if (kind === 1) this.lines.push(' '.repeat(1 + this.int(Math.max(1, maxColumn))));
      else this.lines.push(`${' '.repeat(this.int(Math.max(1, maxColumn + 1)))}#${this.chance(0.8) ? ' note' : ''}`);
    }
  }

  /** Trailing spaces and/or a comment after a value (`afterIndicator`: right after `:`, `-` or a header). */
  private trailer(afterIndicator: boolean): string {
    const kind = this.int(10);
    if (kind < 6) return '';
    if (kind < 8) return ' '.repeat(1 + this.int(3));
    if (kind < 9 && !afterIndicator && this.rare()) return '#no-space';
    return `${' '.repeat(1 + this.int(2))}# c${this.chance(0.3) ? ' ' : ''}`;
  }

  /** An anchor, alias or tag in front of a scalar, at a low rate. */
  private decorate(text: string): string {
    if (!this.rare()) return text;
    return this.pick(['&a ', '!!str ', '!t ', '*a', '!!int ', '&b']) + (this.chance(0.5) ? text : '');
  }

  /** Moves one line by a column or two (often an indentation error, sometimes a new structure). */
  private badIndentation(): void {
    const at = this.int(this.lines.length);
    this.lines[at] = this.chance(0.5) ? ` ${this.lines[at]}` : this.lines[at]!.replace(/^ {1,2}/, '');
  }

  /** A point of the document gets a construct outside the subset. */
  private rare(): boolean {
    return this.outside && this.chance(OUTSIDE_RATE * 3);
  }

  private chance(p: number): boolean {
    return this.random() < p;
  }

  private int(n: number): number {
    return Math.floor(this.random() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}
