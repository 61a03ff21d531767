/**
 * The Kubernetes objects declared in a YAML text, with the line each starts on: what the editor's
 * CodeLens matches against live objects.
 */
import { LineCounter, parseAllDocuments } from 'yaml';

export interface DeclaredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** 0-based line of the document's first content. */
  readonly line: number;
}

export function declaredObjects(text: string): DeclaredObject[] {
  const lineCounter = new LineCounter();
  const found: DeclaredObject[] = [];
  for (const doc of parseAllDocuments(text, { lineCounter })) {
    if (!('contents' in doc) || !doc.contents) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch {
      continue;
    }
    const o = value as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | null;
    if (!o || typeof o.kind !== 'string' || typeof o.apiVersion !== 'string' || typeof o.metadata?.name !== 'string') continue;
    const start = doc.contents.range?.[0] ?? 0;
    found.push({
      apiVersion: o.apiVersion,
      kind: o.kind,
      name: o.metadata.name,
      namespace: typeof o.metadata.namespace === 'string' ? o.metadata.namespace : undefined,
      line: lineCounter.linePos(start).line - 1,
    });
  }
  return found;
}
