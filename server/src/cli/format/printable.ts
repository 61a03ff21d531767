/**
 * Making text taken from a repository (messages quote keys and values, paths are file names) safe to
 * print where a line means something: in a CI log, a line starting with `::error` is a GitHub Actions
 * workflow command, and bidirectional controls make a terminal show text other than what it holds.
 */

/** DEL, C1 controls, line and paragraph separators, bidirectional controls, the BOM: valid raw in JSON strings. */
const UNSAFE_PAST_C0 = /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;
/** Newline, carriage return, tab, escape and the other C0 controls. */
const C0 = /[\u0000-\u001f]/g;
const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** The text on one line, with every control written as an escape (`\n`, `\u202e`). */
export function escapeControls(text: string): string {
  return text.replace(C0, (c) => SHORT[c] ?? unicodeEscape(c)).replace(UNSAFE_PAST_C0, unicodeEscape);
}

/**
 * JSON.stringify escapes the C0 controls inside strings; the other unsafe characters (valid JSON raw)
 * are escaped too, so the document parses to the same values and prints as plain text.
 */
export function printableJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_PAST_C0, unicodeEscape) + '\n';
}
