/**
 * Completion inside an `$imagepolicy` marker's value: `namespace:name` of the ImagePolicies in the
 * workspace, then the `:tag`, `:name` and `:digest` suffixes once a policy is written.
 */
import { CompletionItemKind, type CompletionItem } from 'vscode-languageserver';
import type { PositionContext } from '../context';
import { MARKER_SUFFIXES } from '../../flux/markers';
import type { FluxModel } from '../../flux/model';

/**
 * The value typed so far when the cursor is inside `"$imagepolicy": "...`. Anchored at the line's
 * first `#` (the comment runs to the line's end): unanchored, each `#` of a long line rescanned
 * the rest of it.
 */
const VALUE_BEFORE_CURSOR = /^[^#]*#[^]*"\$imagepolicy"\s*:\s*"([^"]*)$/;

export function markerCompletion(ctx: PositionContext, model: FluxModel): CompletionItem[] {
  const lineStart = ctx.file.lines.lineStart(ctx.position.line);
  const cursor = ctx.file.offsetAt(ctx.position);
  const typed = VALUE_BEFORE_CURSOR.exec(ctx.file.text.slice(lineStart, cursor))?.[1];
  if (typed === undefined) return [];
  const valueStart = ctx.file.positionAt(cursor - typed.length);
  const range = { start: valueStart, end: ctx.position };
  const parts = typed.split(':');
  if (parts.length >= 3 || (parts.length === 2 && typed.endsWith(':') === false && known(model).has(typed))) {
    const base = parts.slice(0, 2).join(':');
    return MARKER_SUFFIXES.map((suffix) => ({
      label: `${base}:${suffix}`,
      kind: CompletionItemKind.EnumMember,
      detail: `writes the image ${suffix}`,
      textEdit: { range, newText: `${base}:${suffix}` },
    }));
  }
  return [...known(model)].sort().map((reference) => ({
    label: reference,
    kind: CompletionItemKind.Reference,
    detail: 'ImagePolicy (full image reference)',
    textEdit: { range, newText: reference },
  }));
}

function known(model: FluxModel): Set<string> {
  const refs = new Set<string>();
  for (const f of model.objects()) {
    if (f.object.kind === 'ImagePolicy' && f.object.group === 'image.toolkit.fluxcd.io' && f.namespace && f.object.name) refs.add(`${f.namespace}:${f.object.name}`);
  }
  return refs;
}
