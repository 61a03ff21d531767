/**
 * `.sops.yaml` checks: known keys (sops' YAML decoder silently ignores unknown ones), regexes
 * that Go compiles (Go's reason otherwise), one encryption rule per creation rule, age
 * recipients, unreachable rules after a catch-all. Also answers "does a creation rule cover this
 * path".
 */
import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { checkRecipient } from '../sops';
import { goRegex, goRegexError } from '../regex/re2';

export interface SopsConfigProblem {
  readonly code: 'sops-config-unknown-key' | 'sops-config-regex' | 'sops-config-recipient' | 'sops-config-rules' | 'sops-config-structure';
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Offsets in the parsed text. */
  readonly start: number;
  readonly end: number;
}

const TOP_KEYS = ['creation_rules', 'destination_rules', 'stores'];
const RULE_KEYS = [
  'path_regex', 'timeout', 'kms', 'aws_profile', 'age', 'pgp', 'gcp_kms', 'hckms', 'azure_keyvault',
  'hc_vault_transit_uri', 'key_groups', 'shamir_threshold', 'plugins', 'unencrypted_suffix', 'encrypted_suffix',
  'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex', 'mac_only_encrypted',
];
const GROUP_KEYS = ['merge', 'kms', 'gcp_kms', 'hckms', 'azure_keyvault', 'hc_vault', 'age', 'pgp', 'plugins'];
const ENCRYPTION_RULE_KEYS = ['unencrypted_suffix', 'encrypted_suffix', 'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'];
const REGEX_KEYS = ['path_regex', 'unencrypted_regex', 'encrypted_regex', 'unencrypted_comment_regex', 'encrypted_comment_regex'];

function span(node: unknown): [number, number] {
  const range = (node as Node | undefined)?.range;
  return range ? [range[0], range[1]] : [0, 0];
}

function keyOf(pair: Pair): string | undefined {
  return isScalar(pair.key) ? String(pair.key.value) : undefined;
}

function problem(code: SopsConfigProblem['code'], severity: SopsConfigProblem['severity'], message: string, node: unknown): SopsConfigProblem {
  const [start, end] = span(node);
  return { code, severity, message, start, end };
}

function unknownKeys(map: YAMLMap, known: readonly string[], where: string): SopsConfigProblem[] {
  return map.items
    .filter((p) => !known.includes(keyOf(p) ?? ''))
    .map((p) => problem('sops-config-unknown-key', 'warning', `unknown key "${keyOf(p)}" in ${where}: sops ignores it`, p.key));
}

/** Recipients of an `age` value: a comma-separated string or (sops ≥ 3.11) a list. */
function recipients(node: unknown): { text: string; node: unknown }[] {
  if (isScalar(node) && typeof node.value === 'string') {
    return node.value.split(',').map((r) => r.trim()).filter((r) => r !== '').map((text) => ({ text, node }));
  }
  if (isSeq(node)) return node.items.flatMap(recipients);
  return [];
}

function checkAge(node: unknown): SopsConfigProblem[] {
  return recipients(node).flatMap(({ text, node: at }) => {
    try {
      checkRecipient(text);
      return [];
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // ssh and plugin recipients are valid for sops itself: only the in-process engine lacks them.
      const severity = /not supported in-process/.test(message) ? 'warning' : 'error';
      return [problem('sops-config-recipient', severity, message, at)];
    }
  });
}

function checkRule(rule: unknown, index: number): SopsConfigProblem[] {
  if (!isMap(rule)) return [problem('sops-config-structure', 'error', `creation rule ${index + 1} must be a mapping`, rule)];
  const problems = unknownKeys(rule, RULE_KEYS, `creation rule ${index + 1}`);
  const present = rule.items.filter((p) => ENCRYPTION_RULE_KEYS.includes(keyOf(p) ?? '') && isScalar(p.value) && p.value.value !== '');
  if (present.length > 1) {
    problems.push(problem('sops-config-rules', 'error', `only one of ${ENCRYPTION_RULE_KEYS.join(', ')} may be set per rule (found ${present.map(keyOf).join(', ')})`, present[1]!.key));
  }
  for (const pair of rule.items) {
    const key = keyOf(pair) ?? '';
    if (REGEX_KEYS.includes(key) && isScalar(pair.value)) {
      const error = goRegexError(String(pair.value.value ?? ''));
      if (error) problems.push(problem('sops-config-regex', 'error', `${key}: ${error}`, pair.value));
    }
    if (key === 'age') problems.push(...checkAge(pair.value));
    if (key === 'key_groups' && isSeq(pair.value)) {
      for (const group of pair.value.items) {
        if (!isMap(group)) continue;
        problems.push(...unknownKeys(group, GROUP_KEYS, 'key group'));
        problems.push(...checkAge(group.get('age', true)));
      }
    }
  }
  return problems;
}

export function validateSopsConfig(doc: Document.Parsed): SopsConfigProblem[] {
  const root = doc.contents;
  if (root === null) return [];
  if (!isMap(root)) return [problem('sops-config-structure', 'error', '.sops.yaml must be a mapping with creation_rules', root)];
  const problems = unknownKeys(root, TOP_KEYS, '.sops.yaml');
  const rules = root.get('creation_rules', true);
  if (rules === undefined) return problems;
  if (!isSeq(rules)) return [...problems, problem('sops-config-structure', 'error', 'creation_rules must be a list', rules)];
  let catchAll: number | undefined;
  rules.items.forEach((rule, i) => {
    problems.push(...checkRule(rule, i));
    if (catchAll !== undefined) {
      problems.push(problem('sops-config-rules', 'warning', `creation rule ${i + 1} is never used: rule ${catchAll + 1} has no path_regex and matches every file first`, rule));
    } else if (isMap(rule) && !rule.has('path_regex')) catchAll = i;
  });
  return problems;
}

/**
 * Whether a creation rule of this config (plain value) applies to `relativePath` (relative to the
 * config's folder, `/`-separated): sops takes the first rule with no path_regex or a matching one.
 */
export function creationRuleCovers(config: unknown, relativePath: string): boolean {
  const rules = (config as { creation_rules?: unknown } | null)?.creation_rules;
  if (!Array.isArray(rules)) return false;
  return rules.some((rule: unknown) => {
    const pattern = (rule as { path_regex?: unknown } | null)?.path_regex;
    if (pattern === undefined || pattern === '' || pattern === null) return true;
    return typeof pattern === 'string' && (goRegex(pattern)?.(relativePath) ?? false);
  });
}
