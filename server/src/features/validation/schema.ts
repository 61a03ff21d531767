import type { Diagnostic } from 'vscode-languageserver';
import { isMap, type Node } from 'yaml';
import { keyName, nodeAtPath } from '../../documents/nodes';
import { MAX_VALIDATED_SECTION_LENGTH } from '../../documents/section';
import type { SectionRuleContext } from '../context';
import { isKustomizePatch } from './patchFiles';
import { checkAgainstSchema } from './schemaCheck';

/**
 * Schema validation of an object against its kind's schema (CRD or built-in): unknown fields,
 * types, required, enums, patterns. Objects whose apiVersion/kind has no schema get nothing, and
 * neither do sections with YAML syntax errors.
 */
export function schemaValidation(ctx: SectionRuleContext): Diagnostic[] {
  const object = ctx.object;
  if (!object || !ctx.settings.validate || ctx.section.text.length > MAX_VALIDATED_SECTION_LENGTH) return [];
  // A section that does not parse has a guessed tree: its syntax errors say enough.
  if (ctx.doc.errors.length) return [];
  const kind = ctx.schemas.lookup(object.group, object.version, object.kind);
  if (!kind?.schema) return [];
  return checkAgainstSchema(ctx, kind.schema, kindNode(ctx) ?? object.range, {
    required: () => !isKustomizePatch(ctx),
    substitutable: true,
    encrypted: isMap(nodeAtPath(ctx.doc, ['sops'])),
  });
}

/** Where root-level problems (missing spec...) are reported: the `kind` value (a range only if one is reported). */
function kindNode(ctx: SectionRuleContext): Node | undefined {
  const root = ctx.doc.contents;
  if (!isMap(root)) return undefined;
  return (root.items.find((p) => keyName(p) === 'kind')?.value as Node | null | undefined) ?? undefined;
}
