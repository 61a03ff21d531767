/** `.sops.yaml` creation rules: found by walking up from the file, first matching rule wins. */
import { dirname, join, relative, sep } from 'node:path';
import { parse } from 'yaml';
import type { EncryptOptions } from './sopsfile';
import { SopsError } from './errors';
import type { SopsIo } from './io';
import { DEFAULT_RULE, RULE_KINDS, type EncryptionRule } from './metadata';
import { sopsRegex } from './rules';

const CONFIG_NAMES = ['.sops.yaml', '.sops.yml'];
const OTHER_KEY_TYPES = ['pgp', 'kms', 'gcp_kms', 'azure_keyvault', 'hc_vault_transit_uri'];

export interface FoundConfig {
  readonly path: string;
  readonly text: string;
}

/** The nearest `.sops.yaml` in the file's folder or above, if any. */
export async function findConfig(filePath: string, io: SopsIo): Promise<FoundConfig | undefined> {
  let dir = dirname(filePath);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const text = await io.readText(join(dir, name));
      if (text !== undefined) return { path: join(dir, name), text };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

type RuleJson = Record<string, unknown>;

function ageList(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(ageList);
  if (typeof value !== 'string') return [];
  return value
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '');
}

function unsupportedKeys(json: RuleJson, where: string): void {
  const present = OTHER_KEY_TYPES.filter((k) => {
    const v = json[k];
    return (typeof v === 'string' && v.trim() !== '') || (Array.isArray(v) && v.length > 0);
  });
  if (present.length) {
    throw new SopsError('unsupported-key', `${where} uses ${present.join(', ')} keys, which are not supported in-process: only age recipients are`);
  }
}

/** The encryption rule of a creation rule (or the sops default `_unencrypted` suffix). */
function ruleOf(json: RuleJson): EncryptionRule {
  const set = RULE_KINDS.filter((k) => typeof json[k] === 'string' && json[k] !== '');
  if (set.length > 1) throw new SopsError('config', `Cannot use more than one of ${RULE_KINDS.join(', ')}`);
  const kind = set[0];
  return kind ? { kind, value: json[kind] as string } : DEFAULT_RULE;
}

/** Encryption options for `filePath` from the creation rules of `config`. */
export function creationRuleFor(filePath: string, config: FoundConfig): EncryptOptions {
  let doc: unknown;
  try {
    // Errors throw; warnings are not logged (the bundled yaml would log them with console.warn).
    doc = parse(config.text, { merge: true, maxAliasCount: -1, logLevel: 'error' });
  } catch (error) {
    throw new SopsError('config', `error loading config ${config.path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const root = (doc && typeof doc === 'object' ? doc : {}) as RuleJson;
  const rules = Array.isArray(root['creation_rules']) ? (root['creation_rules'] as RuleJson[]) : [];
  const relativePath = relative(dirname(config.path), filePath).split(sep).join('/');
  const rule = rules.find((r) => {
    const pathRegex = typeof r?.['path_regex'] === 'string' ? (r['path_regex'] as string) : '';
    return pathRegex === '' || sopsRegex(pathRegex)(relativePath);
  });
  if (!rule) throw new SopsError('config', `error loading config: no matching creation rules found (${config.path}, file ${relativePath})`);
  const where = `the creation rule of ${config.path} matching ${relativePath}`;
  let keyGroups: string[][];
  if (Array.isArray(rule['key_groups']) && rule['key_groups'].length > 0) {
    keyGroups = (rule['key_groups'] as RuleJson[]).map((g) => {
      unsupportedKeys(g ?? {}, where);
      return ageList(g?.['age']);
    });
  } else {
    unsupportedKeys(rule, where);
    keyGroups = [ageList(rule['age'])];
  }
  if (keyGroups.every((g) => g.length === 0)) throw new SopsError('config', `${where} has no age recipients`);
  const stores = (root['stores'] ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const indent = Number(stores['yaml']?.['indent'] ?? 0);
  return {
    keyGroups,
    rule: ruleOf(rule),
    macOnlyEncrypted: rule['mac_only_encrypted'] === true,
    shamirThreshold: Number(rule['shamir_threshold'] ?? 0),
    ...(indent > 0 ? { indent } : {}),
  };
}

/** Options from explicit recipients (CLI `--age`), with an optional `--encrypted-regex`. */
export function optionsFromFlags(recipients: readonly string[], encryptedRegex: string | undefined): EncryptOptions {
  return {
    keyGroups: [recipients.flatMap((r) => ageList(r))],
    rule: encryptedRegex !== undefined ? { kind: 'encrypted_regex', value: encryptedRegex } : DEFAULT_RULE,
  };
}
