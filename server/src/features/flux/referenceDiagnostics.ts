/**
 * References between objects: a target missing from the workspace (warning; information for
 * objects bootstrap or an operator creates outside Git), a kind the field does not allow (error),
 * (only without the owner's CRD schema, whose enum check reports it otherwise), and dependsOn
 * cycles (error on each edge, naming the whole cycle).
 * Missing targets get "did you mean" fixes (a close name, or the namespace where that name is).
 * Codes: flux-reference-missing, flux-reference-external, flux-reference-kind, flux-dependency-cycle.
 */
import type { Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';
import type { FluxModel, ResolvedReference } from '../../flux/model';
import { withFixes, type QuickFix } from '../quickFix';
import { diagnostic, ERROR, INFO, WARNING } from './common';

/** Objects commonly created outside Git: bootstrap's own objects, and Secrets. */
function createdOutsideGit(r: ResolvedReference): string | undefined {
  if (r.site.name === 'flux-system' && (r.namespace === 'flux-system' || r.namespace === undefined)) {
    return 'flux bootstrap creates it in the cluster';
  }
  if (r.site.kind === 'Secret') return 'Secrets are usually created in the cluster, or kept SOPS-encrypted in Git';
  return undefined;
}

/** Edit distance, bounded: names further apart than `max` are not worth suggesting. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** "Did you mean": objects of the kind with a close name in the namespace searched, or the same name in another namespace. */
function nearFixes(ctx: SectionRuleContext, model: FluxModel, r: ResolvedReference): QuickFix[] {
  const name = r.site.name!;
  const fixes: QuickFix[] = [];
  for (const f of model.objects()) {
    const other = f.object.name;
    if (f.object.kind !== r.site.kind || !other || other === name && f.namespace === r.namespace) continue;
    const sameNamespace = r.namespace === undefined || f.namespace === undefined || f.namespace === r.namespace;
    if (sameNamespace && r.site.nameNode && distance(name, other, 2) <= 2) {
      fixes.push({ title: `Change to "${other}"`, edits: [{ range: ctx.nodeRange(r.site.nameNode), newText: other }] });
    } else if (other === name && f.namespace && r.site.field.crossNamespace && r.site.namespaceNode) {
      fixes.push({ title: `Use namespace "${f.namespace}"`, edits: [{ range: ctx.nodeRange(r.site.namespaceNode), newText: f.namespace }] });
    }
  }
  return fixes.slice(0, 5);
}

function describe(r: ResolvedReference): string {
  return `${r.site.kind} ${r.namespace ? `${r.namespace}/` : ''}${r.site.name}`;
}

export function referenceDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  if (!ctx.object) return [];
  const result: Diagnostic[] = [];
  const schemaKnown = ctx.schemas.lookup(ctx.object.group, ctx.object.version, ctx.object.kind) !== undefined;
  for (const r of model.referencesFrom(ctx.object)) {
    const { site } = r;
    const at = site.nameNode ?? site.map;
    if (site.kind !== undefined && !site.field.kinds.includes(site.kind)) {
      // With the owner's CRD schema known, its enum check already reports the kind.
      if (schemaKnown) continue;
      result.push(diagnostic(ctx.nodeRange(site.kindNode ?? site.map), ERROR, 'flux-reference-kind',
        `${site.kind} is not allowed in ${site.field.path.replace('[]', '')} of a ${site.field.owner}: use ${site.field.kinds.join(', ')}`));
      continue;
    }
    if (site.kind === undefined || site.name === undefined || site.name.includes('*')) continue;
    if (r.cycle) {
      result.push(diagnostic(ctx.nodeRange(at), ERROR, 'flux-dependency-cycle', `dependsOn cycle: ${r.cycle.join(' → ')}`));
    }
    // A missing optional entry is skipped by helm-controller and kustomize-controller alike.
    if (r.targets.length > 0 || site.optional) continue;
    const outside = createdOutsideGit(r);
    result.push(outside
      ? diagnostic(ctx.nodeRange(at), INFO, 'flux-reference-external', `${describe(r)} is not in the workspace (${outside})`)
      : withFixes(diagnostic(ctx.nodeRange(at), WARNING, 'flux-reference-missing', `${describe(r)} is not in the workspace`), nearFixes(ctx, model, r)));
  }
  return result;
}
