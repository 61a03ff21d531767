/**
 * Image automation setter markers (`# {"$imagepolicy": "NS:NAME[:tag|:name|:digest]"}`) checked the
 * way image-automation-controller reads them: the comment must sit on the same line as a scalar
 * value, or be that value's own head comment; `#` is stripped and the rest JSON-decoded into a
 * string map. Everything else is silently ignored by the controller, so each such case is reported.
 * Works on the `yaml` CST so comment placement is exact. Offsets are relative to the given text.
 */
import { CST, Parser } from 'yaml';

export const MARKER_KEY = '$imagepolicy';
export const MARKER_SUFFIXES = ['tag', 'name', 'digest'] as const;
export type MarkerSuffix = (typeof MARKER_SUFFIXES)[number];

export type MarkerProblemCode =
  | 'marker-invalid-json'
  | 'marker-extra-text'
  | 'marker-key-case'
  | 'marker-not-string'
  | 'marker-above-key'
  | 'marker-on-collection'
  | 'marker-on-block-scalar'
  | 'marker-not-on-value'
  | 'marker-separator'
  | 'marker-missing-namespace'
  | 'marker-unknown-suffix'
  | 'marker-malformed';

export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly newText: string;
}

export interface MarkerProblem {
  readonly code: MarkerProblemCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
  /** A quick fix, when the intent is clear. */
  readonly fix?: { readonly title: string; readonly edit: TextEdit };
}

export interface MarkerRef {
  readonly namespace: string;
  readonly name: string;
  readonly suffix?: MarkerSuffix;
}

export interface Marker {
  /** The whole comment, `#` included. */
  readonly start: number;
  readonly end: number;
  /** The marker's reference string and where it is (inside the quotes), when it could be read. */
  readonly value?: { readonly text: string; readonly start: number; readonly end: number };
  /** Set when the controller would use this marker. */
  readonly ref?: MarkerRef;
  /** The scalar the controller would rewrite, when the placement is right. */
  readonly target?: { readonly start: number; readonly end: number; readonly source: string };
  readonly problems: readonly MarkerProblem[];
}

// ---------------------------------------------------------------------------------------------
// CST flattening: every token that matters for placement, in source order.

type Role = 'key' | 'value' | 'flow';
interface Leaf {
  readonly kind: 'scalar' | 'block-scalar' | 'collection' | 'comment' | 'map-ind' | 'seq-ind' | 'newline';
  readonly role?: Role;
  readonly offset: number;
  readonly source: string;
}

function flatten(token: CST.Token | undefined, role: Role | undefined, out: Leaf[]): void {
  if (!token) return;
  switch (token.type) {
    case 'document':
      sources(token.start, out);
      flatten(token.value, 'value', out);
      sources(token.end, out);
      return;
    case 'doc-end':
      sources(token.end, out);
      return;
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'alias':
      out.push({ kind: 'scalar', role, offset: token.offset, source: token.source });
      sources(token.end, out);
      return;
    case 'block-scalar':
      out.push({ kind: 'block-scalar', role, offset: token.offset, source: token.source });
      for (const prop of token.props) if (isSource(prop)) sources([prop], out);
      return;
    case 'block-map':
    case 'block-seq':
      out.push({ kind: 'collection', role, offset: token.offset, source: '' });
      for (const item of token.items) {
        sources(item.start, out);
        if ('key' in item) flatten(item.key ?? undefined, 'key', out);
        if ('sep' in item) sources(item.sep, out);
        flatten(item.value, 'value', out);
      }
      return;
    case 'flow-collection':
      out.push({ kind: 'collection', role, offset: token.offset, source: '' });
      for (const item of token.items) {
        sources(item.start, out);
        flatten(item.key ?? undefined, 'flow', out);
        sources(item.sep, out);
        flatten(item.value, 'flow', out);
      }
      sources(token.end, out);
      return;
    default:
      if (isSource(token)) sources([token], out);
  }
}

function isSource(token: CST.Token): token is CST.SourceToken {
  return 'indent' in token && !('items' in token) && !('props' in token) && !('end' in token);
}

function sources(tokens: readonly CST.Token[] | undefined, out: Leaf[]): void {
  for (const t of tokens ?? []) {
    if (t.type === 'comment') out.push({ kind: 'comment', offset: t.offset, source: t.source });
    else if (t.type === 'map-value-ind') out.push({ kind: 'map-ind', offset: t.offset, source: t.source });
    else if (t.type === 'seq-item-ind') out.push({ kind: 'seq-ind', offset: t.offset, source: t.source });
    else if (t.type === 'newline') out.push({ kind: 'newline', offset: t.offset, source: t.source });
    else if (t.type === 'block-scalar-header') out.push({ kind: 'block-scalar', offset: t.offset, source: t.source });
  }
}

// ---------------------------------------------------------------------------------------------
// Placement

type Placement =
  | { readonly ok: true; readonly target: Leaf }
  | { readonly ok: false; readonly code: MarkerProblemCode; readonly message: string };

const IGNORED = 'image-automation-controller ignores this marker';

function isContent(leaf: Leaf): boolean {
  return leaf.kind !== 'comment' && leaf.kind !== 'newline';
}

/** What a marker applies to when it is followed (not preceded) by the node it should set. */
function placementOfValueAfter(leaves: readonly Leaf[], from: number, sameLine: boolean): Placement {
  const i = leaves.findIndex((leaf, at) => at >= from && isContent(leaf) && !(leaf.kind === 'collection' && !sameLine));
  const leaf = leaves[i];
  if (!leaf) return { ok: false, code: 'marker-not-on-value', message: `${IGNORED}: it is not attached to a scalar value` };
  if (leaf.kind === 'collection') {
    const what = leaves.slice(i + 1).find(isContent)?.kind === 'seq-ind' ? 'a sequence' : 'a mapping';
    return { ok: false, code: 'marker-on-collection', message: `${IGNORED}: it is on ${what}, not on a scalar value` };
  }
  if (leaf.kind === 'block-scalar') {
    return { ok: false, code: 'marker-on-block-scalar', message: `${IGNORED}: it is on a block scalar (\`|\` or \`>\`)` };
  }
  // A comment line above `- value` is that item's head comment.
  if (leaf.kind === 'seq-ind' && !sameLine) return itemPlacement(leaves, i + 1);
  if (leaf.kind === 'scalar' && leaf.role === 'key') {
    return sameLine
      ? { ok: false, code: 'marker-on-collection', message: `${IGNORED}: it is on a mapping, not on a scalar value` }
      : { ok: false, code: 'marker-above-key', message: `${IGNORED}: a comment on the line above \`${leaf.source}:\` belongs to the key; put it at the end of the value's line` };
  }
  if (leaf.kind === 'scalar' && leaf.role === 'value') {
    return sameLine
      ? { ok: false, code: 'marker-not-on-value', message: `${IGNORED}: the value is on the next line; put the marker at the end of the value's line` }
      : { ok: true, target: leaf };
  }
  return { ok: false, code: 'marker-not-on-value', message: `${IGNORED}: it is not attached to a scalar value` };
}

/** After a `-` that follows an own-line marker: the item itself must be a scalar on the dash's line. */
function itemPlacement(leaves: readonly Leaf[], from: number): Placement {
  const next = leaves.slice(from).find((leaf) => isContent(leaf) || leaf.kind === 'newline');
  if (next?.kind === 'scalar' && next.role === 'value') return { ok: true, target: next };
  return placementOfValueAfter(leaves, from, true);
}

function place(text: string, leaves: readonly Leaf[], index: number): Placement {
  const comment = leaves[index];
  const lineStart = text.lastIndexOf('\n', comment.offset - 1) + 1;
  let prev: Leaf | undefined;
  for (let i = index - 1; i >= 0 && leaves[i].offset >= lineStart; i--) {
    if (isContent(leaves[i])) {
      prev = leaves[i];
      break;
    }
  }
  if (!prev) return placementOfValueAfter(leaves, index + 1, false);
  if (prev.kind === 'scalar' && prev.role === 'value') return { ok: true, target: prev };
  if (prev.kind === 'scalar' && prev.role === 'flow') {
    return { ok: false, code: 'marker-on-collection', message: `${IGNORED}: it is inside a flow collection` };
  }
  if (prev.kind === 'block-scalar') {
    return { ok: false, code: 'marker-on-block-scalar', message: `${IGNORED}: it is on a block scalar (\`|\` or \`>\`)` };
  }
  if (prev.kind === 'map-ind' || prev.kind === 'seq-ind') return placementOfValueAfter(leaves, index + 1, true);
  return { ok: false, code: 'marker-not-on-value', message: `${IGNORED}: it is not attached to a scalar value` };
}

// ---------------------------------------------------------------------------------------------
// Comment body

type Body =
  | { readonly ok: true; readonly value: string; readonly valueStart: number; readonly valueEnd: number }
  | { readonly ok: false; readonly problem: MarkerProblem; readonly value?: string };

/** `# {"$imagepolicy": "ns:name"}` with the given reference: what every fix writes. */
export function canonicalMarker(reference: string): string {
  return `# {"${MARKER_KEY}": ${JSON.stringify(reference)}}`;
}

function stringMap(json: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function policyValue(map: Record<string, unknown>): string | undefined {
  const key = Object.keys(map).find((k) => k.toLowerCase() === MARKER_KEY);
  const value = key === undefined ? undefined : map[key];
  return typeof value === 'string' ? value : undefined;
}

/** Reads the comment as the controller does and, when it would not, says why and how to repair it. */
function readBody(comment: string, start: number): Body {
  const end = start + comment.length;
  const body = comment.replace(/^#+/, '');
  const whole = { start, end };
  const map = stringMap(body);
  if (map) {
    const key = Object.keys(map).find((k) => k.toLowerCase() === MARKER_KEY);
    const value = key === undefined ? undefined : map[key];
    if (key !== undefined && typeof value === 'string' && key !== MARKER_KEY) {
      return {
        ok: false,
        value,
        problem: {
          code: 'marker-key-case', ...whole,
          message: `${IGNORED}: the key must be exactly "${MARKER_KEY}", not "${key}"`,
          fix: { title: `Write the key as "${MARKER_KEY}"`, edit: { ...whole, newText: canonicalMarker(value) } },
        },
      };
    }
    if (Object.values(map).some((v) => typeof v !== 'string') || key === undefined) {
      return { ok: false, problem: { code: 'marker-not-string', ...whole, message: `${IGNORED}: every value in the marker must be a string` } };
    }
    const quoted = JSON.stringify(value);
    const at = comment.indexOf(quoted, comment.indexOf(key) + key.length + 1);
    const valueStart = at >= 0 ? start + at + 1 : start;
    return { ok: true, value: value as string, valueStart, valueEnd: at >= 0 ? valueStart + (value as string).length : end };
  }
  const repaired = repairs(body);
  if (repaired) {
    const fix = { title: `Rewrite as ${canonicalMarker(repaired.value)}`, edit: { ...whole, newText: canonicalMarker(repaired.value) } };
    return { ok: false, value: repaired.value, problem: { code: repaired.code, ...whole, message: `${IGNORED}: ${repaired.reason}`, fix } };
  }
  return { ok: false, problem: { code: 'marker-invalid-json', ...whole, message: `${IGNORED}: the comment is not a JSON object like {"${MARKER_KEY}": "namespace:name"}` } };
}

interface Repair {
  readonly code: MarkerProblemCode;
  readonly reason: string;
  readonly value: string;
}

/** The common ways a marker is almost right, each tried on its own. */
function repairs(body: string): Repair | undefined {
  const attempts: [MarkerProblemCode, string, (s: string) => string][] = [
    ['marker-invalid-json', 'single quotes are not JSON; use double quotes', (s) => s.replace(/'/g, '"')],
    ['marker-invalid-json', 'the key is not quoted; JSON needs "$imagepolicy"', (s) => s.replace(/\{\s*(\$[A-Za-z]+)\s*:/, '{"$1":')],
    ['marker-invalid-json', 'a trailing comma is not JSON', (s) => s.replace(/,\s*\}/, '}')],
    ['marker-extra-text', 'the comment holds text besides the JSON object; the whole comment must be the object', (s) => /\{[^{}]*\}/.exec(s)?.[0] ?? s],
  ];
  for (const [code, reason, repair] of attempts) {
    const map = stringMap(repair(body));
    const value = map && policyValue(map);
    if (value !== undefined) return { code, reason, value };
  }
  // Several faults at once (e.g. single quotes and extra text): name the first one that applies.
  const all = attempts.reduce((s, [, , repair]) => repair(s), body);
  const map = stringMap(all);
  const value = map && policyValue(map);
  return value === undefined ? undefined : { code: 'marker-invalid-json', reason: 'the comment is not valid JSON', value };
}

// ---------------------------------------------------------------------------------------------
// Reference

/** Parses `NS:NAME[:tag|:name|:digest]`; problems carry offsets relative to the value start. */
export function parseMarkerReference(value: string): { ref?: MarkerRef; problem?: Omit<MarkerProblem, 'start' | 'end'> } {
  const suggest = (reference: string, title: string) => ({ title, edit: { start: 0, end: value.length, newText: reference } });
  if (value.includes('/')) {
    const swapped = value.replace(/\//g, ':');
    const ok = parseMarkerReference(swapped).ref !== undefined;
    return {
      problem: {
        code: 'marker-separator',
        message: `${IGNORED}: the reference uses '/'; it must be "namespace:name" with ':'`,
        ...(ok ? { fix: suggest(swapped, `Use ':' as separator ("${swapped}")`) } : {}),
      },
    };
  }
  const parts = value.split(':');
  if (parts.length === 1) {
    return { problem: { code: 'marker-missing-namespace', message: `${IGNORED}: the reference needs the ImagePolicy's namespace ("namespace:${value}")` } };
  }
  if (parts.some((p) => p === '') || parts.length > 3) {
    return { problem: { code: 'marker-malformed', message: `${IGNORED}: the reference must be "namespace:name" optionally followed by ":tag", ":name" or ":digest"` } };
  }
  const [namespace, name, suffix] = parts;
  if (suffix !== undefined && !(MARKER_SUFFIXES as readonly string[]).includes(suffix)) {
    const lower = suffix.toLowerCase();
    const fixable = (MARKER_SUFFIXES as readonly string[]).includes(lower);
    return {
      problem: {
        code: 'marker-unknown-suffix',
        message: `${IGNORED}: unknown suffix ":${suffix}"; use ":tag", ":name" or ":digest", or none for the full image reference`,
        ...(fixable ? { fix: suggest(`${namespace}:${name}:${lower}`, `Use ":${lower}"`) } : {}),
      },
    };
  }
  return { ref: { namespace, name, ...(suffix ? { suffix: suffix as MarkerSuffix } : {}) } };
}

// ---------------------------------------------------------------------------------------------

const MENTION = /\$imagepolicy/i;

/** Every comment that mentions `$imagepolicy` (any case), with what the controller would make of it. */
export function findMarkers(text: string): Marker[] {
  if (!MENTION.test(text)) return [];
  const leaves: Leaf[] = [];
  for (const token of new Parser().parse(text)) flatten(token, undefined, leaves);
  const markers: Marker[] = [];
  leaves.forEach((leaf, index) => {
    if (leaf.kind !== 'comment' || !MENTION.test(leaf.source)) return;
    markers.push(readMarker(text, leaves, index));
  });
  return markers;
}

function readMarker(text: string, leaves: readonly Leaf[], index: number): Marker {
  const comment = leaves[index];
  const start = comment.offset;
  const end = start + comment.source.length;
  const problems: MarkerProblem[] = [];
  const body = readBody(comment.source, start);
  const placement = place(text, leaves, index);
  if (!placement.ok) problems.push({ code: placement.code, message: placement.message, start, end });
  const target = placement.ok ? { start: placement.target.offset, end: placement.target.offset + placement.target.source.length, source: placement.target.source } : undefined;
  if (!body.ok) {
    problems.push(body.problem);
    return { start, end, problems, ...(target ? { target } : {}) };
  }
  const value = { text: body.value, start: body.valueStart, end: body.valueEnd };
  const parsed = parseMarkerReference(body.value);
  if (parsed.problem) {
    const { fix, ...rest } = parsed.problem;
    problems.push({
      ...rest, start: value.start, end: value.end,
      ...(fix ? { fix: { title: fix.title, edit: { start: value.start, end: value.end, newText: fix.edit.newText } } } : {}),
    });
  }
  return { start, end, value, problems, ...(target ? { target } : {}), ...(parsed.ref && placement.ok ? { ref: parsed.ref } : {}) };
}

/** Whether the controller would even open this file: it needs the exact bytes `"$imagepolicy"`. */
export function mentionsMarkerExactly(text: string): boolean {
  return text.includes(`"${MARKER_KEY}"`);
}
