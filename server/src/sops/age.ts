/** The data key (or a Shamir share of it) wrapped for age recipients, ASCII-armored as sops stores it. */
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { decodeStdBase64 } from './base64';
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

/** A decrypter holding the user's identities; throws, without quoting it, when one is malformed. */
export function identityDecrypter(identities: readonly string[]): Decrypter {
  const decrypter = new Decrypter();
  for (const id of identities) {
    try {
      decrypter.addIdentity(id);
    } catch {
      // age's own message quotes the whole key, and a key with a typo is still nearly the secret.
      throw new SopsError('no-identity', 'an age secret key (AGE-SECRET-KEY-…) in the age keys is malformed: a wrong character or checksum; fix or remove it');
    }
  }
  return decrypter;
}

/**
 * The secret wrapped in one `enc` block, or undefined when none of the identities matches it;
 * throws a SopsError saying what is wrong when the block is damaged.
 */
export async function unwrap(enc: string, decrypter: Decrypter): Promise<Uint8Array | undefined> {
  let file: Uint8Array;
  try {
    file = decodeArmor(enc);
  } catch (error) {
    throw new SopsError('format', `invalid age armor: ${(error as Error).message}`);
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

const ARMOR_HEADER = '-----BEGIN AGE ENCRYPTED FILE-----';
const ARMOR_FOOTER = '-----END AGE ENCRYPTED FILE-----';
const ARMOR_COLUMNS = 64;
const ARMOR_BYTES_PER_LINE = 48;
/** The blank bytes age's reader allows before the header and after the footer. */
const ARMOR_MAX_WHITESPACE = 1024;
/** Go's unicode.IsSpace (JavaScript's \s also takes U+FEFF and leaves out U+0085). */
const GO_SPACES = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/**
 * The age file inside an ASCII armor, read as age's Go armor reader (the one sops uses) reads it:
 * blank lines before the header, lines of at most 64 columns each holding strict padded base64
 * (a short line is the last), the footer right after, then nothing but some whitespace. The
 * typage decoder is laxer (it trims spaces from the header line, takes `=` inside a line).
 */
function decodeArmor(text: string): Uint8Array {
  let at = 0;
  // A line as Go's ReadBytes('\n') yields it, less its "\n" and then one "\r".
  const nextLine = (): string => {
    if (at >= text.length) throw new Error('unexpected end of the armor');
    const newline = text.indexOf('\n', at);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(at, end);
    at = end + 1;
    return line.endsWith('\r') ? line.slice(0, -1) : line;
  };
  const checkTrailing = (): void => {
    const rest = Buffer.from(text.slice(at), 'utf8').subarray(0, ARMOR_MAX_WHITESPACE);
    if (!GO_SPACES.test(rest.toString('utf8'))) throw new Error('trailing data after armored file');
    if (rest.length === ARMOR_MAX_WHITESPACE) throw new Error('too much trailing whitespace');
  };
  let skipped = 0;
  for (;;) {
    const line = nextLine();
    if (!GO_SPACES.test(line)) {
      if (line !== ARMOR_HEADER) throw new Error(`the first line is not exactly ${ARMOR_HEADER}`);
      break;
    }
    skipped += Buffer.byteLength(line) + 1;
    if (skipped > ARMOR_MAX_WHITESPACE) throw new Error('too much leading whitespace');
  }
  const chunks: Buffer[] = [];
  for (;;) {
    const line = nextLine();
    if (line === ARMOR_FOOTER) break;
    if (Buffer.byteLength(line) > ARMOR_COLUMNS) throw new Error(`line ${chunks.length + 2}: column limit exceeded`);
    let chunk: Buffer;
    try {
      chunk = decodeStdBase64(line, true);
    } catch (error) {
      throw new Error(`line ${chunks.length + 2}: ${(error as Error).message}`);
    }
    chunks.push(chunk);
    if (chunk.length < ARMOR_BYTES_PER_LINE) {
      const closing = nextLine();
      if (closing !== ARMOR_FOOTER) throw new Error(`line ${chunks.length + 1} is short, so it must be the last, but ${ARMOR_FOOTER} does not follow it`);
      break;
    }
  }
  checkTrailing();
  return Buffer.concat(chunks);
}
