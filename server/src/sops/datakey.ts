/** The data key: wrapped for every age recipient (Shamir-split across key groups) and recovered. */
import type { Decrypter } from 'age-encryption';
import { checkRecipient, identityDecrypter, unwrap, wrapForRecipient } from './age';
import { SopsError } from './errors';
import type { Identities } from './keys';
import type { AgeStanza, SopsMetadata } from './metadata';
import { combine, split } from './shamir';

export interface WrappedKey {
  readonly keyGroups: { readonly age: readonly AgeStanza[] }[];
  readonly shamirThreshold: number;
}

/** Checks the recipients and threshold before anything is encrypted. */
export function checkKeyGroups(groups: readonly (readonly string[])[], shamirThreshold: number | undefined): number {
  if (groups.length === 0 || groups.some((g) => g.length === 0)) {
    throw new SopsError('config', 'no age recipients given: pass --age or add a creation rule with age keys to .sops.yaml');
  }
  groups.flat().forEach(checkRecipient);
  const threshold = shamirThreshold || groups.length;
  if (groups.length > 1 && (threshold < 2 || threshold > groups.length)) {
    throw new SopsError('config', `shamir_threshold ${threshold} must be between 2 and the number of key groups (${groups.length})`);
  }
  return threshold;
}

/** One age stanza per recipient; several groups each get a Shamir share of the key. */
export async function wrapDataKey(
  dataKey: Uint8Array,
  groups: readonly (readonly string[])[],
  shamirThreshold: number | undefined,
  random: (n: number) => Uint8Array,
): Promise<WrappedKey> {
  const threshold = checkKeyGroups(groups, shamirThreshold);
  const secrets = groups.length > 1 ? split(dataKey, groups.length, threshold, random) : [dataKey];
  const keyGroups: { age: AgeStanza[] }[] = [];
  for (const [i, group] of groups.entries()) {
    const age: AgeStanza[] = [];
    for (const recipient of group) age.push({ recipient, enc: await wrapForRecipient(recipient, secrets[i] as Uint8Array) });
    keyGroups.push({ age });
  }
  return { keyGroups, shamirThreshold: threshold };
}

/** Why a recipient sops accepts can never match an in-process identity, if it cannot. */
function unusableReason(recipient: string): string | undefined {
  try {
    checkRecipient(recipient);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

const NO_MATCH = 'no identity matched any of the recipients';

interface Failure {
  readonly recipient: string;
  readonly reason: string;
}

/** One key group's share of the data key, or why each of its entries failed to give it. */
async function openKeyGroup(group: SopsMetadata['keyGroups'][number], decrypter: Decrypter): Promise<Uint8Array | Failure[]> {
  const failures: Failure[] = [];
  for (const stanza of group.age) {
    let reason = unusableReason(stanza.recipient) ?? NO_MATCH;
    try {
      const part = await unwrap(stanza.enc, decrypter);
      if (part) return part;
    } catch (error) {
      // A damaged entry fails only itself, as in sops: the next recipient's may still open.
      if (!(error instanceof SopsError)) throw error;
      reason = error.message;
    }
    failures.push({ recipient: stanza.recipient, reason });
  }
  for (const other of group.other) failures.push({ recipient: other, reason: 'only age keys are supported in-process' });
  return failures;
}

/**
 * The data key, recovered as sops recovers it: each key group is opened by the first of its
 * entries that an identity decrypts, a damaged entry failing only itself; a single group gives the
 * key, several give Shamir shares, all of which are combined when there are at least the
 * threshold. Otherwise sops' "Failed to get the data key" report: each recipient tried and why.
 */
export async function recoverDataKey(metadata: SopsMetadata, identities: Identities): Promise<Uint8Array> {
  const decrypter = identityDecrypter(identities.keys);
  const parts: Uint8Array[] = [];
  const report: string[] = [];
  const failures: Failure[] = [];
  for (const [i, group] of metadata.keyGroups.entries()) {
    const opened = await openKeyGroup(group, decrypter);
    if (opened instanceof Uint8Array) {
      parts.push(opened);
      report.push(`Group ${i}: SUCCESS`);
    } else {
      failures.push(...opened);
      report.push([`Group ${i}: FAILED`, ...opened.map((f) => `  ${f.recipient}: FAILED\n    - | ${f.reason}`)].join('\n'));
    }
  }
  const several = metadata.keyGroups.length > 1;
  const needed = several ? metadata.shamirThreshold || metadata.keyGroups.length : 1;
  if (parts.length >= needed && parts.length > 0) return checkedKey(several ? combineShares(parts) : (parts[0] as Uint8Array));
  const trailer = several
    ? `Recovery failed because the file was encrypted with a Shamir threshold of ${needed}, but only ${parts.length} part(s) were successfully recovered.`
    : 'Recovery failed because no master key was able to decrypt the file. In order for SOPS to recover the file, at least one key has to be successful, but none were.';
  const unsupported = identities.unsupported.length ? `\nNot usable in-process: ${identities.unsupported.join('; ')}.` : '';
  const summary = failures.every((f) => f.reason === NO_MATCH) ? `: ${NO_MATCH}` : '';
  throw new SopsError(
    'no-identity',
    `Failed to get the data key required to decrypt the SOPS file${summary}.\n\n${report.join('\n\n')}\n\nAge keys were looked for in: ${identities.searched.join(', ')}.${unsupported}\n\n${trailer}`,
  );
}

function combineShares(parts: readonly Uint8Array[]): Uint8Array {
  try {
    return combine(parts);
  } catch (error) {
    throw new SopsError('tampered', `could not get data key from shamir parts: ${(error as Error).message}`);
  }
}

function checkedKey(key: Uint8Array): Uint8Array {
  if (key.length !== 32) throw new SopsError('tampered', `data key has ${key.length} bytes, expected 32`);
  return key;
}
