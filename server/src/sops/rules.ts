/** Which leaves sops encrypts: one rule (suffix, regex or comment regex), applied as sops does. */
import { SopsError } from './errors';
import type { EncryptionRule } from './metadata';

/**
 * A Go RE2 pattern as a JavaScript RegExp (unanchored, as Go's MatchString). Covers the syntax
 * that differs: leading flag groups `(?i)`, `\A`, `\z`, named groups `(?P<n>…)`.
 */
export function goRegex(pattern: string): RegExp {
  let flags = '';
  let body = pattern;
  const lead = /^\(\?([imsU]+)\)/.exec(body);
  if (lead) {
    body = body.slice(lead[0].length);
    if ((lead[1] as string).includes('i')) flags += 'i';
    if ((lead[1] as string).includes('m')) flags += 'm';
    if ((lead[1] as string).includes('s')) flags += 's';
  }
  body = body.replace(/\\A/g, '^').replace(/\\z/g, '$(?![\\s\\S])').replace(/\(\?P</g, '(?<');
  try {
    return new RegExp(body, flags);
  } catch (error) {
    throw new SopsError('config', `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

export type ShouldEncrypt = (path: readonly string[], commentsStack: readonly (readonly string[])[], isComment: boolean) => boolean;

/** sops' Tree.shouldBeEncrypted for one rule. */
export function encryptionPredicate(rule: EncryptionRule): ShouldEncrypt {
  const value = rule.value;
  switch (rule.kind) {
    case 'unencrypted_suffix':
      return (path) => !path.some((k) => k.endsWith(value));
    case 'encrypted_suffix':
      return (path) => path.some((k) => k.endsWith(value));
    case 'unencrypted_regex': {
      const re = goRegex(value);
      return (path) => !path.some((k) => re.test(k));
    }
    case 'encrypted_regex': {
      const re = goRegex(value);
      return (path) => path.some((k) => re.test(k));
    }
    case 'unencrypted_comment_regex': {
      const re = goRegex(value);
      return (_path, stack) => !stack.some((level) => level.some((c) => re.test(c)));
    }
    case 'encrypted_comment_regex': {
      const re = goRegex(value);
      return (_path, stack, isComment) =>
        stack.some((level, i) =>
          // The matching comment line itself stays plain: skip the last comment of the last level.
          level.some((c, j) => !(isComment && i === stack.length - 1 && j === level.length - 1) && re.test(c)),
        );
    }
  }
}
