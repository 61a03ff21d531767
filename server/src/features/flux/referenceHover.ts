/** Hover on a reference (sourceRef, dependsOn[], chartRef, ...): the target's summary, or why it is not found. */
import type { Hover } from 'vscode-languageserver';
import type { PositionContext } from '../context';
import type { FluxModel } from '../../flux/model';
import { referenceAt } from './common';
import { objectSummary } from './objectSummary';

export function referenceHover(ctx: PositionContext, model: FluxModel): Hover | undefined {
  const ref = referenceAt(model, ctx.object, ctx.offset);
  if (!ref || ref.site.name === undefined) return undefined;
  const node = ref.site.nameNode ?? ref.site.map;
  const range = node.range ? ctx.file.range(ctx.section, node.range[0], node.range[1]) : undefined;
  const value = ref.targets.length
    ? ref.targets.map((t) => objectSummary(t.flux, model, t.producedBy)).join('\n\n---\n\n')
    : `${ref.site.kind ?? 'Object'} \`${ref.namespace ? `${ref.namespace}/` : ''}${ref.site.name}\` is not in the workspace.`;
  return { contents: { kind: 'markdown', value }, ...(range ? { range } : {}) };
}
