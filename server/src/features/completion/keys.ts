import { CompletionItemKind, InsertTextFormat, InsertTextMode, type CompletionItem } from 'vscode-languageserver';
import { schemaAt, typeLabel } from '../../schema/navigate';
import type { SchemaNode } from '../../schema/types';
import type { PositionContext } from '../context';
import { cursorContext, cursorEdit, type CursorContext } from './cursor';
import { sectionKind } from './header';
import { keySnippet } from './snippets';

/** ObjectMeta fields the API server sets: never written in a manifest, so not offered. */
const SERVER_SET_METADATA = new Set(['creationTimestamp', 'deletionGracePeriodSeconds', 'deletionTimestamp', 'generation', 'managedFields', 'resourceVersion', 'selfLink', 'uid']);
/** ObjectMeta fields offered first. */
const FIRST_METADATA = new Set(['name', 'namespace']);

/** Keys that every object has at its root, offered when the kind has no schema. */
const ROOT_KEYS = ['apiVersion', 'kind', 'metadata'];

/** Keys of the mapping at the cursor from the schema: required first, with nested required structure. */
export function keyCompletion(ctx: PositionContext): CompletionItem[] {
  const cursor = cursorContext(ctx);
  if (!cursor || cursor.mode !== 'key' || cursor.emptySection) return [];
  const resolve = (n: SchemaNode | undefined): SchemaNode | undefined => ctx.schemas.resolve(n);
  const kind = sectionKind(ctx.schemas, ctx.section);
  if (!kind?.schema) return cursor.path.length === 0 ? rootKeys(cursor) : [];
  const parent = resolve(schemaAt(resolve, kind.schema, cursor.path));
  if (!parent?.properties) return [];
  const required = new Set(parent.required ?? []);
  const inMetadata = cursor.path.at(-1) === 'metadata';
  if (inMetadata) for (const key of FIRST_METADATA) required.add(key);
  return Object.entries(parent.properties)
    .filter(([key]) => !cursor.siblings.has(key) && !(cursor.path.length === 0 && key === 'status') && !(inMetadata && SERVER_SET_METADATA.has(key)))
    .map(([key, schema]) => {
      const description = resolve(schema)?.description;
      return {
        label: key,
        kind: CompletionItemKind.Property,
        detail: `${typeLabel(resolve, schema)}${(parent.required ?? []).includes(key) ? ' (required)' : ''}`,
        ...(description ? { documentation: { kind: 'markdown' as const, value: description } } : {}),
        textEdit: cursorEdit(cursor, keySnippet(resolve, key, schema, ' '.repeat(cursor.markerWidth))),
        insertTextFormat: InsertTextFormat.Snippet,
        insertTextMode: InsertTextMode.adjustIndentation,
        sortText: `${required.has(key) ? '0' : '1'}${key}`,
        filterText: key,
      };
    });
}

function rootKeys(cursor: CursorContext): CompletionItem[] {
  return ROOT_KEYS.filter((k) => !cursor.siblings.has(k)).map((key, i) => ({
    label: key,
    kind: CompletionItemKind.Property,
    textEdit: cursorEdit(cursor, key === 'metadata' ? 'metadata:\n  name: ${1}' : `${key}: \${1}`),
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: String(i),
  }));
}
