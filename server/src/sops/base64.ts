/**
 * Base64 decoded as Go's encoding/base64 decodes it, because sops and Flux do: what they reject
 * must not decrypt here either. Node's own decoder skips any character it does not know.
 */

/** Canonical padded standard base64: whole quanta, `=` only at the end and only as padding. */
const PADDED_STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const NOT_STD_BASE64 = /[^A-Za-z0-9+/=\r\n]/;

/**
 * Go's `base64.StdEncoding.DecodeString`: the standard alphabet with `=` padding required, CR and
 * LF skipped wherever they are, anything else an error. `strict` is Go's `Strict()` (age's armor):
 * the unused low bits of the last character must also be zero. Throws an Error saying why.
 */
export function decodeStdBase64(text: string, strict = false): Buffer {
  const compact = text.replace(/[\r\n]/g, '');
  if (!PADDED_STD_BASE64.test(compact)) throw new Error(base64Problem(text, compact));
  const bytes = Buffer.from(compact, 'base64');
  if (strict && bytes.toString('base64') !== compact) throw new Error('the last character has non-zero unused bits');
  return bytes;
}

function base64Problem(text: string, compact: string): string {
  const stray = NOT_STD_BASE64.exec(text);
  if (stray) return `illegal character ${describe(stray[0])} at position ${stray.index}`;
  const padding = compact.indexOf('=');
  if (padding !== -1 && !/^={1,2}$/.test(compact.slice(padding))) return '`=` padding in the middle or too much of it';
  return `length ${compact.length} is not a multiple of 4 (missing or wrong \`=\` padding)`;
}

/** A printable ASCII character quoted, anything else (controls, bidi marks) as its code point. */
function describe(char: string): string {
  return /^[\x21-\x7e]$/.test(char) ? `"${char}"` : `U+${(char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
