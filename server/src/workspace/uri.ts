import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * The `file:` URI of a path, spelled as VS Code spells it (`Uri.file(p).toString()`): every character
 * but `A-Z a-z 0-9 - . _ ~` percent-encoded in each segment, a drive letter in lower case with its colon
 * encoded. Open documents arrive in that spelling; a file read from disk under another spelling (Node's
 * leaves `(`, `@`, `+`… as they are and keeps `C:`) would be indexed as a second, stale copy of it.
 */
export function pathToUri(p: string): string {
  const url = pathToFileURL(p);
  return `file://${url.host}${canonicalPath(url.pathname)}`;
}

/**
 * The engine's spelling (pathToUri's) of a `file:` URI however a client spelled it: `(`, `@`, `+`, `:`
 * left bare (Neovim), lower-case hex, `C:`, `localhost`, `.` segments. Each segment is decoded and
 * re-encoded on its own, so an encoded `/` (`%2F`) stays inside its segment. Other schemes, and URIs
 * that do not parse or decode, are returned unchanged.
 */
export function canonicalUri(uri: string): string {
  if (!/^file:/i.test(uri)) return uri;
  try {
    // The URL parser settles the authority (`localhost` is none), `\` and `.`/`..` segments.
    const url = new URL(uri);
    return `file://${url.host}${canonicalPath(url.pathname)}${url.search}${url.hash}`;
  } catch {
    return uri;
  }
}

/** A URL pathname, each segment re-encoded as VS Code encodes it; throws URIError on a malformed escape. */
function canonicalPath(pathname: string): string {
  return pathname
    .split('/')
    .map((segment) => encodeSegment(decodeURIComponent(segment)))
    .join('/')
    .replace(/^\/([A-Za-z])%3A/, (_match, drive: string) => `/${drive.toLowerCase()}%3A`);
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
