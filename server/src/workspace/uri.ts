import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The `file:` URI of a path, spelled as VS Code spells it (`Uri.file(p).toString()`): every character
 * but `A-Z a-z 0-9 - . _ ~` percent-encoded in each segment, a drive letter in lower case with its colon
 * encoded. Open documents arrive in that spelling; a file read from disk under another spelling (Node's
 * leaves `(`, `@`, `+`… as they are and keeps `C:`) would be indexed as a second, stale copy of it.
 */
export function pathToUri(p: string): string {
  const url = pathToFileURL(p);
  const pathname = url.pathname
    .split('/')
    .map((segment) => encodeSegment(decodeURIComponent(segment)))
    .join('/')
    .replace(/^\/([A-Za-z])%3A/, (_match, drive: string) => `/${drive.toLowerCase()}%3A`);
  return `file://${url.host}${pathname}`;
}

function encodeSegment(segment: string): string {
  // encodeURIComponent leaves !'()* as they are; VS Code encodes them too.
  return segment.replace(/[^A-Za-z0-9\-._~]/gu, (c) => (/[!'()*]/.test(c) ? `%${c.charCodeAt(0).toString(16).toUpperCase()}` : encodeURIComponent(c)));
}

/** The file path of a `file:` URI, or undefined for other schemes (untitled documents). */
export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}
