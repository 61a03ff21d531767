/** CRD patterns compiled once each (null when JavaScript cannot compile a Go regular expression). */
const compiled = new Map<string, RegExp | null>();

export function patternOf(source: string): RegExp | null {
  let re = compiled.get(source);
  if (re === undefined) {
    re = tryCompile(source, 'u') ?? tryCompile(source, '');
    compiled.set(source, re);
  }
  return re;
}

function tryCompile(source: string, flags: string): RegExp | null {
  try {
    return new RegExp(source, flags);
  } catch {
    return null;
  }
}

/** The pattern Flux uses for every duration field (interval, timeout, retryInterval...). */
export const FLUX_DURATION_PATTERN = '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$';

export function describePattern(value: string, pattern: string): string {
  if (pattern === FLUX_DURATION_PATTERN) return `Invalid duration ${JSON.stringify(value)}: expected a Go duration such as 30s, 5m or 1h30m (units ms, s, m, h)`;
  return `Value ${JSON.stringify(value)} does not match the pattern ${pattern}`;
}
