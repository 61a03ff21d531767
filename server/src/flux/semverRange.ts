/**
 * Semver constraints as Flux reads them: ImagePolicy `spec.policy.semver.range` and HelmRelease
 * `spec.chart.spec.version` go through Masterminds/semver v3 `NewConstraint`. That grammar is not
 * node-semver's (`>=1.0.0, <2.0.0`, `=>`, `!=`, `~>`, `|` inside numbers is rejected late, ...), so
 * it is parsed here and each constraint is normalised into node-semver comparators for matching.
 *
 * The constraint text is checked with Masterminds' own regular expressions run on re2js, a port of
 * Go's RE2 engine: the same matches as Flux, and time linear in the input. On a backtracking
 * engine the segment check took exponential time (`1   1   1 … 1 !`: 43 characters, 9 s, seven
 * times more per term), and an unanchored search such as the hyphen one is quadratic there
 * whatever its quantifiers. The terms of a segment the check accepted are then read by hand: they
 * are what Masterminds' term regexes find there, without re2js' capturing search (a few µs a
 * character).
 */
import { RE2JS } from 're2js';
import semver from 'semver';

/** One operator-plus-version term of a constraint, with its place in the input. */
export interface RangeTerm {
  readonly op: string;
  readonly version: string;
  /** node-semver comparator sets (OR of ANDs) equivalent to this term. */
  readonly normalised: readonly string[];
  /** Whether the term's version carries a pre-release (only then may pre-releases match). */
  readonly allowsPrerelease: boolean;
}

export interface SemverRange {
  readonly source: string;
  /** OR of AND groups, as Masterminds evaluates them. */
  readonly groups: readonly (readonly RangeTerm[])[];
}

export type RangeParse = { readonly ok: true; readonly range: SemverRange } | { readonly ok: false; readonly error: string };

// Grammar pieces (Masterminds v3): a version part is digits or x/X/* (the character class also
// admits '|', which the version parser then rejects), optional pre-release and build metadata.
const PART = '[0-9xX*|]+';
const IDENTS = '[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*';
const VERSION = `v?${PART}(?:\\.${PART})?(?:\\.${PART})?(?:-${IDENTS})?(?:\\+${IDENTS})?`;
const OP = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const TERM = `(?:${OP})\\s*${VERSION}`;
const SEGMENT = RE2JS.compile(`^\\s*${TERM}\\s*(?:(?:\\s+|,\\s*)${TERM}\\s*)*$`);
const HYPHEN = RE2JS.compile(`\\s*(${VERSION})\\s+-\\s+(${VERSION})\\s*`);
const STRICT_VERSION = /^v?([0-9]+)(?:\.([0-9]+))?(?:\.([0-9]+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
const MAX_UINT64 = 18446744073709551615n;

const isX = (part: string): boolean => part === 'x' || part === 'X' || part === '*';

interface Con {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  readonly pre: string;
  /** Which leading part was a wildcard or missing. */
  readonly dirty: 'none' | 'major' | 'minor' | 'patch';
}

function validIdentifiers(pre: string): boolean {
  return pre.split('.').every((id) => id !== '' && !(/^[0-9]+$/.test(id) && id.length > 1 && id.startsWith('0')));
}

/** Masterminds `NewVersion` on the rewritten version string; undefined when it would fail. */
function parseVersion(text: string): { major: number; minor: number; patch: number; pre: string } | undefined {
  const m = STRICT_VERSION.exec(text);
  if (!m) return undefined;
  const nums = [m[1], m[2] ?? '0', m[3] ?? '0'];
  if (nums.some((n) => BigInt(n) > MAX_UINT64)) return undefined;
  const pre = m[4] ?? '';
  if (pre && !validIdentifiers(pre)) return undefined;
  return { major: Number(nums[0]), minor: Number(nums[1]), patch: Number(nums[2]), pre };
}

function parseCon(major: string, minor: string | undefined, patch: string | undefined, pre: string | undefined, whole: string): Con | undefined {
  const minorPart = minor?.slice(1);
  const patchPart = patch?.slice(1);
  const preSuffix = pre ?? '';
  let text = whole;
  let dirty: Con['dirty'] = 'none';
  if (isX(major)) {
    dirty = 'major';
    text = `0.0.0${preSuffix}`;
  } else if (minorPart === undefined || isX(minorPart)) {
    dirty = 'minor';
    text = `${major}.0.0${preSuffix}`;
  } else if (patchPart === undefined || isX(patchPart)) {
    dirty = 'patch';
    text = `${major}${minor}.0${preSuffix}`;
  }
  const v = parseVersion(text);
  return v && { ...v, dirty };
}

const fmt = (major: number, minor: number, patch: number, pre = ''): string => `${major}.${minor}.${patch}${pre ? `-${pre}` : ''}`;
/** Exclusive upper bound that also keeps pre-releases of the bound out. */
const below = (major: number, minor: number, patch: number): string => `<${fmt(major, minor, patch)}-0`;

/** The set of versions a term admits, as node-semver comparator sets. */
function normalise(op: string, c: Con): string[] {
  const con = fmt(c.major, c.minor, c.patch, c.pre);
  const nextMajor = below(c.major + 1, 0, 0);
  const nextMinor = below(c.major, c.minor + 1, 0);
  const tilde = (): string[] => {
    if (c.major === 0 && c.minor === 0 && c.patch === 0 && (c.dirty === 'none' || c.dirty === 'major')) return [`>=${con}`];
    return [`>=${con} ${c.dirty === 'minor' ? nextMajor : nextMinor}`];
  };
  // A wildcard term covers a whole block of versions: [lower, upper).
  const block = (): [string, string] | undefined => {
    if (c.dirty === 'minor') return [`${c.major}.0.0`, `${c.major + 1}.0.0-0`];
    if (c.dirty === 'patch') return [`${c.major}.${c.minor}.0`, `${c.major}.${c.minor + 1}.0-0`];
    return undefined;
  };
  switch (op) {
    case '':
    case '=':
      return c.dirty === 'none' ? [con] : tilde();
    case '~':
    case '~>':
      return tilde();
    case '!=': {
      const b = block();
      return b ? [`<${b[0]}`, `>=${b[1]}`] : [`<${con}`, `>${con}`];
    }
    case '>':
      if (c.dirty === 'minor') return [`>=${c.major + 1}.0.0-0`];
      if (c.dirty === 'patch') return [`>=${c.major}.${c.minor + 1}.0-0`];
      return [`>${con}`];
    case '<':
      return [`<${con}`];
    case '>=':
    case '=>':
      return [`>=${con}`];
    case '<=':
    case '=<':
      if (c.dirty === 'minor') return [nextMajor];
      if (c.dirty === 'patch' || c.dirty === 'major') return [nextMinor];
      return [`<=${con}`];
    case '^':
      if (c.major > 0 || c.dirty === 'minor') return [`>=${con} ${nextMajor}`];
      if (c.minor > 0 || c.dirty === 'patch') return [`>=${con} ${nextMinor}`];
      return [`>=${con} ${below(0, 0, c.patch + 1)}`];
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Rewrites `A - B` hyphen ranges into `>= A, <= B`, as Masterminds does before anything else. */
function rewriteHyphens(input: string): string {
  // The capturing search only where the (fast) matching one finds a range.
  if (!HYPHEN.test(input)) return input;
  const m = HYPHEN.matcher(input);
  let rewritten = '';
  let from = 0;
  while (m.find()) {
    rewritten += `${input.slice(from, m.start())}>= ${m.group(1)}, <= ${m.group(2)}`;
    from = m.end();
  }
  return rewritten + input.slice(from);
}

/** Go's `\s`. */
const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
const isOpChar = (c: string | undefined): boolean => c !== undefined && '=!<>~^'.includes(c);
const isPartChar = (c: string | undefined): boolean => c !== undefined && /[0-9xX*|]/.test(c);

/**
 * The terms of a segment SEGMENT accepts, as Masterminds' findConstraintRegex and
 * constraintRegex read them there: separated by blanks or a comma, each an operator (the whole
 * run of operator characters: a version cannot start with one), blanks, and a version (up to the
 * next blank, comma or the end: a version holds neither). `text` is the term as written.
 */
function* segmentTerms(segment: string): Generator<{ text: string; op: string; version: string }> {
  let at = 0;
  for (;;) {
    while (isSpace(segment[at]) || segment[at] === ',') at++;
    if (at >= segment.length) return;
    const start = at;
    while (isOpChar(segment[at])) at++;
    const op = segment.slice(start, at);
    while (isSpace(segment[at])) at++;
    const versionStart = at;
    while (at < segment.length && !isSpace(segment[at]) && segment[at] !== ',') at++;
    yield { text: segment.slice(start, at), op, version: segment.slice(versionStart, at) };
  }
}

/**
 * A version the grammar accepts, split as constraintRegex's groups split it: major, `.minor`,
 * `.patch`, `-pre-release` (each part ends where its characters do, so the split is unique).
 */
function versionParts(version: string): [string, string | undefined, string | undefined, string | undefined] {
  let at = version.startsWith('v') ? 1 : 0;
  const part = (): string => {
    const start = at;
    while (isPartChar(version[at])) at++;
    return version.slice(start, at);
  };
  const major = part();
  const dotted = (): string | undefined => (version[at] === '.' ? `.${(at++, part())}` : undefined);
  const minor = dotted();
  const patch = dotted();
  const plus = version.indexOf('+', at);
  const pre = version[at] === '-' ? version.slice(at, plus < 0 ? undefined : plus) : undefined;
  return [major, minor, patch, pre];
}

export function parseSemverRange(input: string): RangeParse {
  const groups: RangeTerm[][] = [];
  for (const segment of rewriteHyphens(input).split('||')) {
    if (!SEGMENT.test(segment)) return { ok: false, error: `improper constraint: ${segment}` };
    const terms: RangeTerm[] = [];
    for (const { text, op, version } of segmentTerms(segment)) {
      const [major, minor, patch, pre] = versionParts(version);
      const con = parseCon(major, minor, patch, pre, version);
      if (!con) return { ok: false, error: `improper constraint: ${text} is not a valid version` };
      terms.push({ op, version, normalised: normalise(op, con), allowsPrerelease: con.pre !== '' });
    }
    groups.push(terms);
  }
  return { ok: true, range: { source: input, groups } };
}

function termMatches(term: RangeTerm, version: semver.SemVer): boolean {
  if (version.prerelease.length > 0 && !term.allowsPrerelease) return false;
  return term.normalised.some((set) => semver.satisfies(version, set, { includePrerelease: true }));
}

/** Whether a version (tag) satisfies the range; tags that are not semver never match. */
// Used by the tests only: it is how they prove the Masterminds → node-semver conversion selects the right tags.
export function rangeMatches(range: SemverRange, version: string): boolean {
  // Tags are read like Masterminds `NewVersion`: `v` prefix and missing minor/patch allowed.
  const parsed = parseVersion(version);
  const v = parsed && semver.parse(fmt(parsed.major, parsed.minor, parsed.patch, parsed.pre));
  if (!v) return false;
  return range.groups.some((group) => group.every((term) => termMatches(term, v)));
}

const OP_WORDS: Record<string, string> = {
  '>': 'greater than', '<': 'less than', '>=': 'at least', '<=': 'at most', '=': 'exactly',
};

function describeSet(set: string): string {
  return set
    .split(' ')
    .map((comparator) => {
      const m = /^(>=|<=|>|<|=)?(.*)$/.exec(comparator);
      const op = m?.[1] ?? '=';
      const version = (m?.[2] ?? comparator).replace(/-0$/, '');
      return `${OP_WORDS[op]} ${version}`;
    })
    .join(' and ');
}

/** A comparator set reduced to its tightest lower and upper bounds (exact versions kept). */
function tightest(set: string): string {
  const comparators = set.split(' ');
  const bound = (ops: string[], pick: (a: string, b: string) => boolean): string | undefined =>
    comparators
      .filter((c) => ops.some((op) => c.startsWith(op) && !/^[<>]=?/.test(c.slice(op.length))))
      .reduce<string | undefined>((best, c) => (best === undefined || pick(version(c), version(best)) ? c : best), undefined);
  const version = (c: string): string => c.replace(/^[<>]=?/, '');
  const exact = comparators.filter((c) => !/^[<>]/.test(c));
  const lower = bound(['>=', '>'], (a, b) => semver.gt(a, b));
  const upper = bound(['<=', '<'], (a, b) => semver.lt(a, b));
  return [...exact, ...(lower ? [lower] : []), ...(upper ? [upper] : [])].join(' ');
}

/** One AND group in words: merged into one interval when every term is a single interval. */
function describeGroup(group: readonly RangeTerm[]): string {
  if (group.every((t) => t.normalised.length === 1)) return describeSet(tightest(group.map((t) => t.normalised[0]).join(' ')));
  return group.map((term) => `\`${term.op}${term.version}\`: ${term.normalised.map(describeSet).join(', or ')}`).join('; and ');
}

/** A short human explanation (Markdown) of what a range selects. */
export function explainSemverRange(range: SemverRange): string {
  const groups = range.groups.map(describeGroup);
  const prerelease = range.groups.some((g) => g.some((t) => t.allowsPrerelease))
    ? 'Pre-release versions are considered because the range names one.'
    : 'Pre-release versions (e.g. `1.2.3-rc.1`) never match: the range names none.';
  const lines = groups.length === 1 ? [`Matches versions ${groups[0]}.`] : ['Matches versions in any of:', ...groups.map((g) => `- ${g}`)];
  return [...lines, '', prerelease].join('\n');
}
