/** The data key (or a Shamir share of it) wrapped for age recipients, ASCII-armored as sops stores it. */
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { SopsError } from './errors';

const X25519_RECIPIENT = /^age1[02-9ac-hj-np-z]{58}$/;

/** Rejects, with the reason, every recipient sops might accept but we cannot use. */
export function checkRecipient(recipient: string): void {
  if (X25519_RECIPIENT.test(recipient)) return;
  if (/^ssh-(ed25519|rsa) /.test(recipient)) {
    throw new SopsError('unsupported-key', `ssh recipient "${recipient.slice(0, 24)}…" is not supported in-process: only age X25519 recipients (age1…) are`);
  }
  if (/^age1[a-z0-9]+1[02-9ac-hj-np-z]+$/.test(recipient)) {
    throw new SopsError('unsupported-key', `age plugin recipient "${recipient.slice(0, 24)}…" is not supported in-process: only age X25519 recipients (age1…) are`);
  }
  throw new SopsError('unsupported-key', `"${recipient}" is not a valid age recipient (expected age1… X25519)`);
}

/** One age file (one X25519 stanza) per recipient, armored with a trailing newline. */
export async function wrapForRecipient(recipient: string, secret: Uint8Array): Promise<string> {
  checkRecipient(recipient);
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  return armor.encode(await encrypter.encrypt(secret));
}

/** The wrapped secret, or undefined when none of the identities matches this entry. */
export async function unwrap(enc: string, identities: readonly string[]): Promise<Uint8Array | undefined> {
  if (identities.length === 0) return undefined;
  let file: Uint8Array;
  try {
    file = armor.decode(enc);
  } catch (error) {
    throw new SopsError('format', `malformed age armor in sops metadata: ${(error as Error).message}`);
  }
  const decrypter = new Decrypter();
  for (const id of identities) {
    try {
      decrypter.addIdentity(id);
    } catch {
      // age's own message quotes the whole key, and a key with a typo is still nearly the secret.
      throw new SopsError('no-identity', 'an age secret key (AGE-SECRET-KEY-…) in the age keys is malformed: a wrong character or checksum; fix or remove it');
    }
  }
  try {
    return await decrypter.decrypt(file);
  } catch (error) {
    if (/no identity matched/i.test((error as Error).message)) return undefined;
    throw new SopsError('tampered', `failed to decrypt sops data key with age: ${withoutKeys((error as Error).message)}`);
  }
}

function withoutKeys(message: string): string {
  return message.replace(/AGE-SECRET-KEY-[0-9A-Za-z-]+/g, 'AGE-SECRET-KEY-…');
}
