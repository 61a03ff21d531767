import { goRegex } from '../../regex/re2';

/**
 * Whether a string value breaks a CRD `pattern` (a Go regular expression, unanchored as the API
 * server's `MatchString`); a pattern Go would not compile checks nothing.
 */
export function breaksPattern(value: string, pattern: string): boolean {
  const matches = goRegex(pattern);
  return matches !== undefined && !matches(value);
}

/** The pattern Flux uses for every duration field (interval, timeout, retryInterval...). */
export const FLUX_DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

export function describePattern(value: string, pattern: string): string {
  if (pattern === FLUX_DURATION_PATTERN) return `Invalid duration ${JSON.stringify(value)}: expected a Go duration such as 30s, 5m or 1h30m (units ms, s, m, h)`;
  return `Value ${JSON.stringify(value)} does not match the pattern ${pattern}`;
}
