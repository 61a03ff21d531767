/** Shared shape of the Flux features: diagnostics with one source, rules reading the Flux model. */
import { isMap, isScalar, type Document, type Node } from 'yaml';
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Rule, SectionRuleContext } from '../context';
import { FLUX_FACETS, type FluxFacet, type FluxModel, type ResolvedReference } from '../../flux/model';
import type { IndexedObject } from '../../workspace/objectIndex';

export const SOURCE = 'flux-gitops';

export function diagnostic(range: Range, severity: DiagnosticSeverity, code: string, message: string): Diagnostic {
  return { range, severity, code, source: SOURCE, message };
}

/**
 * A section rule over the Flux model. It depends on the model facets it names (and on `applied`
 * when it skips patch files): the engine re-runs it when one of them changes.
 */
export function fluxSectionRule(
  id: string,
  model: FluxModel,
  facets: readonly FluxFacet[],
  run: (ctx: SectionRuleContext, model: FluxModel) => Diagnostic[],
  options: { readonly skipPatches?: boolean } = {},
): Rule {
  return {
    id,
    scope: 'section',
    run: (ctx) => {
      if (!ctx.settings.validate) return [];
      for (const facet of facets) ctx.depend(FLUX_FACETS[facet]);
      // Patch files hold partial objects: some checks would judge half an object.
      if (options.skipPatches) {
        ctx.depend(FLUX_FACETS.applied);
        if (model.isPatch(ctx.uri)) return [];
      }
      return run(ctx, model);
    },
  };
}

/** A section rule that reads nothing beyond its own section. */
export function plainSectionRule(id: string, run: (ctx: SectionRuleContext) => Diagnostic[]): Rule {
  return { id, scope: 'section', run: (ctx) => (ctx.settings.validate ? run(ctx) : []) };
}

export const { Error: ERROR, Warning: WARNING, Information: INFO, Hint: HINT } = DiagnosticSeverity;

/** The key node of the field at `path` (falls back to the nearest existing parent's key). */
export function keyNodeAt(doc: Document.Parsed, path: readonly string[]): Node | undefined {
  let map: unknown = doc.contents;
  let found: Node | undefined;
  for (const segment of path) {
    if (!isMap(map)) break;
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === segment);
    if (!pair) break;
    found = pair.key as Node;
    map = pair.value;
  }
  return found;
}

/** The reference of `object` whose mapping holds a section offset. */
export function referenceAt(model: FluxModel, object: IndexedObject | undefined, offset: number): ResolvedReference | undefined {
  if (!object) return undefined;
  return model.referencesFrom(object).find((r) => {
    const range = r.site.map.range;
    return !!range && range[0] <= offset && offset <= range[1];
  });
}
