import { CompletionItemKind, CompletionItemTag, InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver';
import { schemaAt } from '../../schema/navigate';
import type { PositionContext } from '../context';
import { compareKnown, knownKinds, type KnownKind } from './apiVersions';
import { cursorContext, cursorEdit, type CursorContext } from './cursor';
import { sectionHeader, sectionKind } from './header';

/**
 * Scalars at the cursor (after `key: `, or as a list item): apiVersion and kind at the root, enum
 * values and booleans from the schema.
 */
export function valueCompletion(ctx: PositionContext): CompletionItem[] {
  const cursor = cursorContext(ctx);
  const valuePath = cursor?.valuePath;
  if (!cursor || !valuePath) return [];
  const rootKey = valuePath.length === 1 ? valuePath[0] : undefined;
  if (rootKey === 'apiVersion') return apiVersionItems(ctx, cursor);
  if (rootKey === 'kind') return kindItems(ctx, cursor);
  const kind = sectionKind(ctx.schemas, ctx.section);
  const schema = ctx.schemas.resolve(schemaAt((n) => ctx.schemas.resolve(n), kind?.schema, valuePath));
  if (!schema) return [];
  const values: unknown[] = schema.enum ? [...schema.enum] : schema.type === 'boolean' ? [true, false] : [];
  return values.map((v, i) => ({
    label: String(v),
    kind: CompletionItemKind.EnumMember,
    textEdit: cursorEdit(cursor, String(v)),
    sortText: String(i).padStart(4, '0'),
    ...(schema.default === v ? { detail: 'default' } : {}),
  }));
}

function apiVersionItems(ctx: PositionContext, cursor: CursorContext): CompletionItem[] {
  const { kind } = sectionHeader(ctx.section);
  const known = knownKinds(ctx.schemas).filter((k) => !kind || k.kind === kind).sort(compareKnown);
  const byVersion = new Map<string, KnownKind[]>();
  for (const k of known) byVersion.set(k.apiVersion, [...(byVersion.get(k.apiVersion) ?? []), k]);
  return [...byVersion.entries()].map(([apiVersion, kinds], i) => {
    const deprecated = kinds.every((k) => k.deprecated);
    const names = kinds.map((k) => k.kind);
    return {
      label: apiVersion,
      kind: CompletionItemKind.Module,
      detail: `${deprecated ? '(deprecated) ' : ''}${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`,
      ...(deprecated ? { tags: [CompletionItemTag.Deprecated] } : {}),
      textEdit: cursorEdit(cursor, apiVersion),
      sortText: String(i).padStart(5, '0'),
    };
  });
}

function kindItems(ctx: PositionContext, cursor: CursorContext): CompletionItem[] {
  const { apiVersion } = sectionHeader(ctx.section);
  const known = knownKinds(ctx.schemas).sort(compareKnown);
  const matching = apiVersion ? known.filter((k) => k.apiVersion === apiVersion) : [];
  if (matching.length) {
    return matching.map((k, i) => ({ label: k.kind, kind: CompletionItemKind.Class, detail: k.apiVersion, textEdit: cursorEdit(cursor, k.kind), sortText: String(i).padStart(5, '0') }));
  }
  // No (known) apiVersion yet: every kind, each with its preferred apiVersion, written in as well.
  const preferred = new Map<string, KnownKind>();
  for (const k of known) if (!preferred.has(k.kind)) preferred.set(k.kind, k);
  const apiVersionLine = /^apiVersion:/m.test(ctx.section.text) ? undefined : cursor.replace.start.line;
  return [...preferred.values()].map((k, i) => {
    const extra: TextEdit[] =
      apiVersionLine === undefined ? [] : [{ range: { start: { line: apiVersionLine, character: 0 }, end: { line: apiVersionLine, character: 0 } }, newText: `apiVersion: ${k.apiVersion}\n` }];
    return {
      label: k.kind,
      kind: CompletionItemKind.Class,
      detail: k.apiVersion,
      textEdit: cursorEdit(cursor, k.kind),
      insertTextFormat: InsertTextFormat.PlainText,
      ...(extra.length ? { additionalTextEdits: extra } : {}),
      sortText: String(i).padStart(5, '0'),
    };
  });
}
