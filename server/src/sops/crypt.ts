/**
 * The format-independent half of sops' tree walk: per leaf, whether the rule encrypts it, its
 * cipher text (keeping stashed IVs), and the MAC. Each store (YAML, dotenv, binary) walks its
 * leaves in sops' order and feeds them here.
 */
import { createHash, type Hash } from 'node:crypto';
import { decryptValue, encryptValue, isEncryptedValue } from './cipher';
import { SopsError } from './errors';
import type { EncryptionRule, SopsMetadata } from './metadata';
import { encryptionPredicate, sopsRegex, type ShouldEncrypt } from './rules';
import type { GoRegex } from '../regex/re2';
import { typedFromPlaintext, type TypedScalar } from './scalars';

const MAC_ONLY_ENCRYPTED_INIT = createHash('sha256').update('sops').digest();

type Stack = readonly (readonly string[])[];

/** IVs of decrypted (path, type, value)s, in file order: each occurrence keeps its own. */
export type IvStash = ReadonlyMap<string, readonly Uint8Array[]>;

export function aadOf(path: readonly string[]): string {
  return `${path.join(':')}:`;
}

function stashKey(aad: string, type: string, text: string): string {
  return `${aad}\0${type}\0${text}`;
}

function newHash(macOnly: boolean): Hash {
  const hash = createHash('sha512');
  if (macOnly) hash.update(MAC_ONLY_ENCRYPTED_INIT);
  return hash;
}

/** The MAC's additional data: sops re-formats lastmodified as RFC3339 (fraction dropped). */
function lastModifiedAad(text: string): string {
  return text.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '').replace(/[+-]00:00$/, 'Z');
}

/** Go's time.Format(time.RFC3339) of the UTC clock: no fraction, `Z`. */
export function formatLastModified(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z');
}

/** Encrypts leaves for a new or edited file and accumulates its MAC. */
export class Sealer {
  private readonly shouldEncrypt: ShouldEncrypt;
  private readonly commentGuard: GoRegex | undefined;
  private readonly hash: Hash;
  private readonly queues: Map<string, Uint8Array[]>;

  constructor(
    private readonly key: Uint8Array,
    rule: EncryptionRule,
    private readonly macOnly: boolean,
    private readonly random: (n: number) => Uint8Array,
    ivs?: IvStash,
  ) {
    this.shouldEncrypt = encryptionPredicate(rule);
    this.commentGuard = rule.kind === 'unencrypted_comment_regex' ? sopsRegex(rule.value) : undefined;
    this.hash = newHash(macOnly);
    // A copy: a failed save must not consume the caller's stash.
    this.queues = new Map([...(ivs ?? [])].map(([k, list]) => [k, [...list]]));
  }

  /** Whether an IV is kept for this (path, type, value): to keep a stored type on save. */
  stashed(path: readonly string[], typed: TypedScalar): boolean {
    return (this.queues.get(stashKey(aadOf(path), typed.type, typed.text))?.length ?? 0) > 0;
  }

  private iv(aad: string, type: string, text: string): Uint8Array {
    return this.queues.get(stashKey(aad, type, text))?.shift() ?? this.random(32);
  }

  /**
   * The `ENC[…]` text of a value, or undefined when it stays as written (rule, null, "").
   * `bytes` carries a string's exact bytes when they are not UTF-8 text (binary files).
   */
  value(path: readonly string[], stack: Stack, typed: TypedScalar | null, bytes?: Uint8Array): string | undefined {
    if (typed === null) return undefined;
    const encrypted = this.shouldEncrypt(path, stack, false);
    const plain = bytes ?? typed.text;
    if (!this.macOnly || encrypted) this.hash.update(plain);
    if (!encrypted || plain.length === 0) return undefined;
    const aad = aadOf(path);
    return encryptValue(this.key, plain, typed.type, aad, this.iv(aad, typed.type, typed.text));
  }

  /** The `ENC[…]` text of a comment (after `#`), or undefined when it stays plain. */
  comment(path: readonly string[], stack: Stack, text: string): string | undefined {
    if (text === '' || !this.shouldEncrypt(path, stack, true)) return undefined;
    const aad = aadOf(path);
    const enc = encryptValue(this.key, text, 'comment', aad, this.iv(aad, 'comment', text));
    if (this.commentGuard?.(enc)) {
      throw new SopsError('config', 'An encrypted comment matches unencrypted_comment_regex! Make sure that it cannot match an encrypted comment.');
    }
    return enc;
  }

  /** The encrypted MAC for `lastModified`. */
  mac(lastModified: string): string {
    return encryptValue(this.key, this.hash.digest('hex').toUpperCase(), 'str', lastModified, this.random(32));
  }
}

export type Opened =
  | { readonly kind: 'plain' }
  | { readonly kind: 'value'; readonly typed: TypedScalar; readonly bytes: Buffer }
  | { readonly kind: 'comment'; readonly text: string };

/** Decrypts leaves of an encrypted file, checks its MAC and keeps the IVs for a later save. */
export class Opener {
  private readonly shouldEncrypt: ShouldEncrypt;
  private readonly hash: Hash;
  private readonly stash = new Map<string, Uint8Array[]>();

  constructor(
    private readonly key: Uint8Array,
    private readonly metadata: SopsMetadata,
  ) {
    this.shouldEncrypt = encryptionPredicate(metadata.rule);
    this.hash = newHash(metadata.macOnlyEncrypted);
  }

  get ivs(): IvStash {
    return this.stash;
  }

  private keep(aad: string, type: string, text: string, iv: Uint8Array): void {
    const key = stashKey(aad, type, text);
    const list = this.stash.get(key);
    if (list) list.push(iv);
    else this.stash.set(key, [iv]);
  }

  /**
   * A value as stored (`typed` as read, `raw` its string content). Encrypted values come back
   * decrypted; a `type:comment` value (sops stores comments in sequences as items) comes back as
   * a comment, which the MAC skips.
   */
  value(path: readonly string[], stack: Stack, typed: TypedScalar | null, raw: string): Opened {
    if (typed === null) return { kind: 'plain' };
    const encrypted = this.shouldEncrypt(path, stack, false);
    if (!encrypted || raw === '') {
      if (!this.metadata.macOnlyEncrypted || encrypted) this.hash.update(typed.text);
      return { kind: 'plain' };
    }
    const aad = aadOf(path);
    if (typed.type !== 'str' || !isEncryptedValue(raw)) {
      throw new SopsError('format', `Could not decrypt value: the value at ${aad} is not encrypted`);
    }
    const plain = decryptValue(this.key, raw, aad);
    if (plain.type === 'comment') {
      this.keep(aad, 'comment', plain.plaintext, plain.iv);
      return { kind: 'comment', text: plain.plaintext };
    }
    const value = typedFromPlaintext(plain.type, plain.plaintext);
    this.keep(aad, value.type, value.text, plain.iv);
    // Strings hash their exact bytes; other types their Go formatting (sops' ToBytes).
    this.hash.update(value.type === 'str' || value.type === 'bytes' ? plain.bytes : value.text);
    return { kind: 'value', typed: value, bytes: plain.bytes };
  }

  /**
   * A comment's text, decrypted when the rule says it is encrypted. sops attaches comments to
   * containers through yaml.v3's head/line/foot rules, so `paths` lists candidates, best first;
   * a comment that decrypts with none stays as written (sops only warns).
   */
  comment(paths: readonly (readonly string[])[], stack: Stack, text: string): string | undefined {
    const first = paths[0] ?? [];
    if (!this.shouldEncrypt(first, stack, true) || !isEncryptedValue(text)) return undefined;
    for (const path of paths) {
      try {
        const plain = decryptValue(this.key, text, aadOf(path));
        if (plain.type !== 'comment') continue;
        this.keep(aadOf(path), 'comment', plain.plaintext, plain.iv);
        return plain.plaintext;
      } catch {
        // the next candidate path
      }
    }
    return undefined;
  }

  /** Compares the computed MAC with the stored one; throws sops' error on a mismatch. */
  verifyMac(): void {
    const computed = this.hash.digest('hex').toUpperCase();
    let stored: string;
    try {
      stored = decryptValue(this.key, this.metadata.mac, lastModifiedAad(this.metadata.lastModified)).plaintext;
    } catch {
      throw new SopsError('mac-mismatch', 'Could not decrypt MAC: the MAC or lastmodified was tampered with');
    }
    if (stored !== computed) throw new SopsError('mac-mismatch', `MAC mismatch. File has ${stored}, computed ${computed}`);
  }
}
