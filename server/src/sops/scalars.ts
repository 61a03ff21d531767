/**
 * Scalars typed the way sops sees them: Go's yaml.v3 resolves plain scalars (not JavaScript's YAML
 * rules), and sops turns each Go type into the plaintext bytes it encrypts and hashes.
 */
import { decodeStdBase64 } from './base64';

/** The `type:` of an encrypted value. `comment` never reaches this module. */
export type ScalarType = 'str' | 'int' | 'float' | 'bool' | 'time' | 'bytes';

/** A typed leaf: `text` is exactly the plaintext sops encrypts and feeds to the MAC. */
export interface TypedScalar {
  readonly type: ScalarType;
  readonly text: string;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Thrown for a value sops cannot encrypt (it fails the same way); never quotes the value. */
export class UnsupportedScalarError extends Error {}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const RESOLVE_MAP: ReadonlyMap<string, TypedScalar | null> = new Map<string, TypedScalar | null>([
  ...['true', 'True', 'TRUE'].map((s) => [s, { type: 'bool', text: 'True' }] as const),
  ...['false', 'False', 'FALSE'].map((s) => [s, { type: 'bool', text: 'False' }] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, null] as const),
  ...['.nan', '.NaN', '.NAN'].map((s) => [s, { type: 'float', text: 'NaN' }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map((s) => [s, { type: 'float', text: '+Inf' }] as const),
  ...['-.inf', '-.Inf', '-.INF'].map((s) => [s, { type: 'float', text: '-Inf' }] as const),
]);

/**
 * Resolves an untagged plain scalar as yaml.v3 does (null for YAML null). Order matters and
 * mirrors yaml.v3: the map of special words, then timestamp, int (Go base-0 syntax, `_` ignored),
 * uint, then YAML-style float. Everything else is a string (`yes`/`on` included).
 */
export function resolvePlain(source: string): TypedScalar | null {
  if (RESOLVE_MAP.has(source)) return RESOLVE_MAP.get(source) ?? null;
  const first = source[0] ?? '';
  if (first === '.') {
    const value = goParseFloat(source);
    return value === undefined ? str(source) : { type: 'float', text: formatFloat(value) };
  }
  if (!/[0-9+-]/.test(first)) return str(source);
  const time = parseTimestamp(source);
  if (time !== undefined) return { type: 'time', text: time };
  const plain = source.replaceAll('_', '');
  const int = goParseIntBase0(plain);
  if (int !== undefined && int >= INT64_MIN && int <= INT64_MAX) return { type: 'int', text: int.toString() };
  if (int !== undefined && int > INT64_MAX && int <= UINT64_MAX) {
    // yaml.v3 yields a uint64, which sops refuses to encrypt.
    throw new UnsupportedScalarError('Error walking tree: Cannot walk value, unknown type: uint64');
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const value = goParseFloat(plain);
    if (value !== undefined) return { type: 'float', text: formatFloat(value) };
  }
  return str(source);
}

/** A `!!binary` value as yaml.v3 decodes it: Go's StdEncoding, so only CR and LF may break the base64. */
function decodeBinary(value: string): Buffer {
  try {
    return decodeStdBase64(value);
  } catch {
    throw new UnsupportedScalarError('!!binary value contains invalid base64 data');
  }
}

/** Resolves a scalar carrying an explicit standard tag (`!!str 5`, `!!int "7"`). */
export function resolveTagged(tag: string, value: string): TypedScalar | null {
  switch (tag) {
    case 'tag:yaml.org,2002:str':
      return str(value);
    case 'tag:yaml.org,2002:binary':
      return str(decodeBinary(value).toString('utf8'));
    case 'tag:yaml.org,2002:null':
      return null;
    default: {
      const resolved = resolvePlain(value);
      const expected = tag.replace('tag:yaml.org,2002:', '').replace('timestamp', 'time');
      if (resolved === null || resolved.type !== expected) {
        throw new UnsupportedScalarError(`cannot decode the value as !!${tag.split(':').pop()}`);
      }
      return resolved;
    }
  }
}

function str(text: string): TypedScalar {
  return { type: 'str', text };
}

/** Go strconv.ParseInt(s, 0, 64) syntax, without the range check (BigInt keeps every digit). */
function goParseIntBase0(s: string): bigint | undefined {
  const match = /^([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]+|[1-9][0-9]*|0)$/.exec(s);
  if (!match) return undefined;
  const body = match[2] as string;
  const lower = body.toLowerCase();
  const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : lower;
  const magnitude = BigInt(digits);
  return match[1] === '-' ? -magnitude : magnitude;
}

/** Go strconv.ParseFloat for decimal input; out of range (±Inf) is an error, as in Go. */
function goParseFloat(s: string): number | undefined {
  // `\d+(?:\.\d*)?`, not `\d+\.?\d*`: a digit run split two ways is quadratic on a long non-number.
  if (!/^[+-]?(\d+(?:\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s)) return undefined;
  const value = Number(s);
  return Number.isFinite(value) ? value : undefined;
}

/** Go strconv.FormatFloat(v, 'f', -1, 64): shortest round-trip digits, never an exponent. */
export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (value === 0) return Object.is(value, -0) ? '-0' : '0';
  const [mantissa, exp] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exp);
  let out: string;
  if (exponent < 0) out = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  else if (digits.length <= exponent + 1) out = digits + '0'.repeat(exponent + 1 - digits.length);
  else out = `${digits.slice(0, exponent + 1)}.${digits.slice(exponent + 1)}`;
  return value < 0 ? `-${out}` : out;
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * yaml.v3's timestamp forms (`2006-1-2T15:4:5.999999999Z07:00`, lower-case `t`, space-separated
 * without zone, date only), returned as Go's time.MarshalText (RFC3339Nano) text.
 */
export function parseTimestamp(s: string): string | undefined {
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2}))|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d+))?))?$/.exec(
      s,
    );
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  if (month < 1 || month > 12 || day < 1 || day > (month === 2 && !leap ? 28 : (DAYS_IN_MONTH[month - 1] as number))) {
    return undefined;
  }
  const hour = Number(m[4] ?? m[9] ?? 0);
  const minute = Number(m[5] ?? m[10] ?? 0);
  const second = Number(m[6] ?? m[11] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  // Go reads at most nine fraction digits and drops trailing zeros when formatting.
  const fraction = (m[7] ?? m[12] ?? '').slice(0, 9).replace(/0+$/, '');
  const zone = m[8] === undefined || /^[+-]00:00$/.test(m[8]) ? 'Z' : m[8];
  if (zone !== 'Z' && (Number(zone.slice(1, 3)) > 23 || Number(zone.slice(4)) > 59)) return undefined;
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction ? `.${fraction}` : ''}${zone}`;
}

/** Parses a decrypted value's text back into its type, rejecting what Go would reject. */
export function typedFromPlaintext(type: string, text: string): TypedScalar {
  switch (type) {
    case 'str':
    case 'bytes':
      return { type, text };
    case 'int':
      if (!/^[+-]?\d+$/.test(text) || BigInt(text) < INT64_MIN || BigInt(text) > INT64_MAX) break;
      return { type, text: BigInt(text).toString() };
    case 'float': {
      const special: Record<string, string> = { NaN: 'NaN', '+Inf': '+Inf', Inf: '+Inf', '-Inf': '-Inf' };
      // hasOwn: the decrypted text is user data (`constructor` must not find Object.prototype's).
      if (Object.hasOwn(special, text)) return { type, text: special[text] as string };
      const value = goParseFloat(text);
      if (value === undefined) break;
      return { type, text: formatFloat(value) };
    }
    case 'bool': {
      const words: Record<string, boolean> = { '1': true, t: true, T: true, TRUE: true, true: true, True: true, '0': false, f: false, F: false, FALSE: false, false: false, False: false };
      if (!Object.hasOwn(words, text)) break;
      return { type, text: words[text] ? 'True' : 'False' };
    }
    case 'time': {
      const time = /T/.test(text) ? parseTimestamp(text) : undefined;
      if (time === undefined) break;
      return { type, text: time };
    }
    default:
      throw new Error(`Unknown datatype: ${type}`);
  }
  throw new Error(`Could not parse decrypted ${type} value`);
}
