/** Which leaves sops encrypts: one rule (suffix, regex or comment regex), applied as sops does. */
import { SopsError } from './errors';
import type { EncryptionRule } from './metadata';
import { goRegex, goRegexError, type GoRegex } from '../regex/re2';

/** A rule's Go regular expression; a config error with Go's reason when Go would not compile it. */
export function sopsRegex(pattern: string): GoRegex {
  const regex = goRegex(pattern);
  if (!regex) throw new SopsError('config', `invalid regular expression ${JSON.stringify(pattern)}: ${goRegexError(pattern)}`);
  return regex;
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
      const re = sopsRegex(value);
      return (path) => !path.some((k) => re(k));
    }
    case 'encrypted_regex': {
      const re = sopsRegex(value);
      return (path) => path.some((k) => re(k));
    }
    case 'unencrypted_comment_regex': {
      const re = sopsRegex(value);
      return (_path, stack) => !stack.some((level) => level.some((c) => re(c)));
    }
    case 'encrypted_comment_regex': {
      const re = sopsRegex(value);
      return (_path, stack, isComment) =>
        stack.some((level, i) =>
          // The matching comment line itself stays plain: skip the last comment of the last level.
          level.some((c, j) => !(isComment && i === stack.length - 1 && j === level.length - 1) && re(c)),
        );
    }
  }
}
