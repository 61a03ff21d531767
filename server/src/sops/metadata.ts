/** The `sops:` block: read from a parsed document, written in sops' key order and indentation. */
import { isMap, isSeq, isScalar, type Node } from 'yaml';
import { SopsError } from './errors';
import { inlineString } from './yaml-text';

export const RULE_KINDS = [
  'unencrypted_suffix',
  'encrypted_suffix',
  'unencrypted_regex',
  'encrypted_regex',
  'unencrypted_comment_regex',
  'encrypted_comment_regex',
] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

export interface EncryptionRule {
  readonly kind: RuleKind;
  readonly value: string;
}

export const DEFAULT_RULE: EncryptionRule = { kind: 'unencrypted_suffix', value: '_unencrypted' };

export interface AgeStanza {
  readonly recipient: string;
  readonly enc: string;
}

export interface KeyGroup {
  readonly age: readonly AgeStanza[];
  /** Master keys of other kinds (pgp, kms…), which we cannot use, e.g. `pgp 35C1…`. */
  readonly other: readonly string[];
}

export interface SopsMetadata {
  readonly keyGroups: readonly KeyGroup[];
  /** 0 when not written (then every group is needed). */
  readonly shamirThreshold: number;
  readonly lastModified: string;
  readonly mac: string;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
  readonly version: string;
}

/** The version of the file format we write (the sops release whose output we mirror). */
export const FORMAT_VERSION = '3.10.2';

const OTHER_KEY_TYPES: Readonly<Record<string, string>> = { kms: 'arn', gcp_kms: 'resource_id', azure_kv: 'vault_url', hc_vault: 'vault_address', pgp: 'fp' };

export function readMetadata(node: Node | null | undefined): SopsMetadata {
  if (!isMap(node)) throw new SopsError('metadata-not-found', 'sops metadata not found');
  return readMetadataObject(node.toJSON() as Record<string, unknown>);
}

/** The metadata from its JSON form (the binary store, or the dotenv store's unflattened keys). */
export function readMetadataObject(json: Record<string, unknown>): SopsMetadata {
  const str = (key: string): string => {
    const v = json[key];
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
  };
  const rules = RULE_KINDS.filter((k) => str(k) !== '');
  if (rules.length > 1) throw new SopsError('format', `Cannot use more than one of ${RULE_KINDS.join(', ')}`);
  const groupsJson = Array.isArray(json['key_groups']) ? (json['key_groups'] as unknown[]) : [json];
  const keyGroups = groupsJson.map(readGroup);
  if (!str('mac')) throw new SopsError('format', 'MAC not found in the sops metadata');
  if (!str('version')) throw new SopsError('format', 'sops metadata has no version');
  const first = rules[0];
  return {
    keyGroups,
    shamirThreshold: Number(str('shamir_threshold') || 0),
    lastModified: str('lastmodified'),
    mac: str('mac'),
    rule: first ? { kind: first, value: str(first) } : DEFAULT_RULE,
    macOnlyEncrypted: str('mac_only_encrypted') === 'true',
    version: str('version'),
  };
}

function readGroup(group: unknown): KeyGroup {
  const g = (group && typeof group === 'object' ? group : {}) as Record<string, unknown>;
  const age = (Array.isArray(g['age']) ? g['age'] : []).map((e: unknown) => {
    const entry = (e ?? {}) as Record<string, unknown>;
    return { recipient: String(entry['recipient'] ?? ''), enc: String(entry['enc'] ?? '') };
  });
  const other: string[] = [];
  for (const [type, idField] of Object.entries(OTHER_KEY_TYPES)) {
    for (const e of Array.isArray(g[type]) ? (g[type] as unknown[]) : []) {
      other.push(`${type} ${String((e as Record<string, unknown> | null)?.[idField] ?? '?')}`);
    }
  }
  return { age, other };
}

/** Where the `lastmodified` and `mac` values sit in an existing block, to rewrite only them on edit. */
export function locateMetadataValues(node: Node): { lastModified: [number, number]; mac: [number, number] } {
  if (!isMap(node)) throw new SopsError('metadata-not-found', 'sops metadata not found');
  const find = (key: string): [number, number] => {
    const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
    const value = pair?.value as Node | undefined;
    if (!value?.range || isSeq(value) || isMap(value)) throw new SopsError('format', `sops metadata has no ${key}`);
    return [value.range[0], value.range[1]];
  };
  return { lastModified: find('lastmodified'), mac: find('mac') };
}

export interface NewMetadata {
  readonly keyGroups: readonly { readonly age: readonly AgeStanza[] }[];
  readonly shamirThreshold: number;
  readonly lastModified: string;
  readonly mac: string;
  readonly rule: EncryptionRule;
  readonly macOnlyEncrypted: boolean;
}

/**
 * The `sops:` block as sops 3.10+ writes it with yaml.v3 at `indent` (4 by default): empty key
 * lists omitted, `key_groups` only for several groups, armored keys as `|` blocks.
 */
export function writeMetadata(m: NewMetadata, indent = 4): string {
  const n = ' '.repeat(indent);
  const lines = ['sops:'];
  const ageList = (stanzas: readonly AgeStanza[], dash: string): void => {
    for (const s of stanzas) {
      lines.push(`${dash}- recipient: ${s.recipient}`, `${dash}  enc: |`);
      const body = s.enc.endsWith('\n') ? s.enc.slice(0, -1) : s.enc;
      for (const line of body.split('\n')) lines.push(`${dash}    ${line}`);
    }
  };
  if (m.keyGroups.length > 1) {
    lines.push(`${n}shamir_threshold: ${m.shamirThreshold}`, `${n}key_groups:`);
    for (const group of m.keyGroups) {
      lines.push(`${n}${n}- age:`);
      ageList(group.age, `${n}${n}    `);
    }
  } else if (m.keyGroups[0] && m.keyGroups[0].age.length > 0) {
    lines.push(`${n}age:`);
    ageList(m.keyGroups[0].age, `${n}${n}`);
  }
  lines.push(`${n}lastmodified: "${m.lastModified}"`, `${n}mac: ${m.mac}`);
  lines.push(`${n}${m.rule.kind}: ${inlineString(m.rule.value)}`);
  if (m.macOnlyEncrypted) lines.push(`${n}mac_only_encrypted: true`);
  lines.push(`${n}version: ${FORMAT_VERSION}`);
  return `${lines.join('\n')}\n`;
}

/** The metadata as sops 3.10 marshals it to JSON (its struct order, empty fields left out). */
export function metadataObject(m: NewMetadata): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const age = (stanzas: readonly AgeStanza[]): unknown[] => stanzas.map((s) => ({ recipient: s.recipient, enc: s.enc }));
  if (m.keyGroups.length > 1) {
    out['shamir_threshold'] = m.shamirThreshold;
    out['key_groups'] = m.keyGroups.map((g) => ({ age: age(g.age) }));
  } else if (m.keyGroups[0]) {
    out['age'] = age(m.keyGroups[0].age);
  }
  out['lastmodified'] = m.lastModified;
  out['mac'] = m.mac;
  out[m.rule.kind] = m.rule.value;
  if (m.macOnlyEncrypted) out['mac_only_encrypted'] = true;
  out['version'] = FORMAT_VERSION;
  return out;
}
