/**
 * Regular expressions written for Go, which come from outside: `.sops.yaml` rules and the rule in
 * a file's sops metadata (sops is Go), CRD `pattern`s (Kubernetes is Go). Every one goes through
 * here and runs on re2js, a port of Go's RE2 engine: Go's syntax and meaning (POSIX classes,
 * `\pL`, `\Q…\E`, `(?i:…)`; no lookaround, no backreferences) and time linear in the input
 * whatever the pattern, so a hostile pattern cannot hang the server, the linter or sops commands.
 */
import { RE2JS } from 're2js';

/** Go's `regexp.MatchString`: whether the pattern matches anywhere in the text (unanchored). */
export type GoRegex = (text: string) => boolean;

type Compiled = { readonly regex: GoRegex } | { readonly error: string };

/**
 * Compiled patterns, most recently used last. Bounded: patterns come from files being typed, and
 * each keystroke in a `.sops.yaml` or CRD would otherwise leave its pattern behind for good.
 */
const cache = new Map<string, Compiled>();
const CACHE_SIZE = 256;

function compiled(pattern: string): Compiled {
  const hit = cache.get(pattern);
  if (hit !== undefined) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  const entry = compile(pattern);
  cache.set(pattern, entry);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return entry;
}

function compile(pattern: string): Compiled {
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (error) {
    // re2js' messages are Go's: "error parsing regexp: invalid escape sequence: `\1`".
    return { error: error instanceof Error ? error.message : String(error) };
  }
  // Go matches the UTF-8 bytes of the text; a lone surrogate becomes U+FFFD there, as in Go.
  return { regex: (text) => re.test(Buffer.from(text, 'utf8')) };
}

/** Why Go's `regexp.Compile` rejects the pattern, or undefined when it compiles. */
export function goRegexError(pattern: string): string | undefined {
  const entry = compiled(pattern);
  return 'error' in entry ? entry.error : undefined;
}

/** The pattern compiled as Go compiles it, or undefined when Go rejects it (see goRegexError). */
export function goRegex(pattern: string): GoRegex | undefined {
  const entry = compiled(pattern);
  return 'regex' in entry ? entry.regex : undefined;
}
