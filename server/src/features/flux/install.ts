/**
 * Plugs the Flux features into an Engine through its extension points: one FluxModel per engine,
 * rebuilt on relevant store changes, invalidating only the facets whose facts changed; rules, completion, hover and code actions; the
 * substitution policy telling the core which files post-build substitution rewrites. Used by the
 * language server (fluxLspFeature) and the lint CLI alike.
 */
import { SUBSTITUTION_KEY, type Engine } from '../../engine';
import type { Rule } from '../context';
import { FLUX_FACETS, FluxModel } from '../../flux/model';
import { fluxSectionRule, plainSectionRule } from './common';
import { kustomizationPathCompletion, kustomizationPathDiagnostics, kustomizationPathHover } from './kustomizationPath';
import { kustomizeResourceDiagnostics } from './kustomizeResources';
import { markerCompletion } from './markerCompletion';
import { markerDiagnostics } from './markerDiagnostics';
import { markerHover } from './markerHover';
import { postBuildDiagnostics, postBuildHover } from './postBuild';
import { practiceHints } from './practiceHints';
import { referenceCompletion } from './referenceCompletion';
import { referenceDiagnostics } from './referenceDiagnostics';
import { referenceHover } from './referenceHover';
import { secretCodeActions, secretDiagnostics } from './secrets';
import { semverDiagnostics, semverHover } from './semverRanges';
import { sopsConfigDiagnostics } from './sopsConfigFile';

/** The Flux rules, in the order their diagnostics are listed, with the model facets each reads. */
function fluxRules(model: FluxModel): Rule[] {
  return [
    fluxSectionRule('flux-references', model, ['references'], referenceDiagnostics, { skipPatches: true }),
    fluxSectionRule('flux-path', model, ['kustomizations'], kustomizationPathDiagnostics, { skipPatches: true }),
    fluxSectionRule('kustomize-resources', model, ['tree'], kustomizeResourceDiagnostics),
    fluxSectionRule('image-markers', model, ['images'], markerDiagnostics),
    plainSectionRule('semver-ranges', semverDiagnostics),
    fluxSectionRule('post-build', model, ['applied'], postBuildDiagnostics),
    fluxSectionRule('secrets', model, ['applied'], secretDiagnostics, { skipPatches: true }),
    plainSectionRule('sops-config', sopsConfigDiagnostics),
    fluxSectionRule('practice-hints', model, ['kustomizations'], practiceHints, { skipPatches: true }),
  ];
}

const models = new WeakMap<Engine, FluxModel>();

/** Installs the Flux features once per engine and returns its model. */
export function installFlux(engine: Engine): FluxModel {
  const existing = models.get(engine);
  if (existing) return existing;
  const model = new FluxModel(engine.documents, engine.index);
  models.set(engine, model);
  engine.documents.onDidChange((change) => {
    if (!FluxModel.isRelevant(change)) return;
    const changed = model.changedFacets();
    const keys: string[] = changed.map((facet) => FLUX_FACETS[facet]);
    // The core's schema checks ask the substitution policy: re-run them only when its answer may change.
    if (changed.includes('substituted')) keys.push(SUBSTITUTION_KEY);
    if (keys.length) engine.invalidate(keys);
  });
  for (const rule of fluxRules(model)) engine.addRule(rule);
  engine.addCompletionProvider((ctx) => referenceCompletion(ctx, model));
  engine.addCompletionProvider((ctx) => markerCompletion(ctx, model));
  engine.addCompletionProvider((ctx) => kustomizationPathCompletion(ctx, model));
  engine.addHoverProvider((ctx) => referenceHover(ctx, model));
  engine.addHoverProvider((ctx) => kustomizationPathHover(ctx, model));
  engine.addHoverProvider(semverHover);
  engine.addHoverProvider((ctx) => postBuildHover(ctx, model));
  engine.addHoverProvider((ctx) => markerHover(ctx, model));
  engine.addCodeActionProvider(secretCodeActions);
  engine.setSubstitutionPolicy((uri) => model.mayBeSubstituted(uri));
  return model;
}
