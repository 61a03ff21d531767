import { fileURLToPath, pathToFileURL } from 'node:url';

export function pathToUri(p: string): string {
  return pathToFileURL(p).href;
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
