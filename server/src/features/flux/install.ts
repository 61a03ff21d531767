/**
 * Plugs the Flux features into an Engine through its extension points: one FluxModel per engine,
 * invalidated on relevant store changes; rules, completion, hover and code actions; the
 * substitution policy telling the core which files post-build substitution rewrites. Used by the
 * language server (fluxLspFeature) and the lint CLI alike.
 */
import { SUBSTITUTION_KEY, type Engine } from '../../engine';
import type { Rule } from '../context';
import { FLUX_MODEL_KEY, FluxModel } from '../../flux/model';
import { fluxSectionRule } from './common';
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

/** The Flux rules, in the order their diagnostics are listed. */
function fluxRules(model: FluxModel): Rule[] {
  return [
    fluxSectionRule('flux-references', model, referenceDiagnostics, { skipPatches: true }),
    fluxSectionRule('flux-path', model, kustomizationPathDiagnostics, { skipPatches: true }),
    fluxSectionRule('kustomize-resources', model, kustomizeResourceDiagnostics),
    fluxSectionRule('image-markers', model, markerDiagnostics),
    fluxSectionRule('semver-ranges', model, semverDiagnostics),
    fluxSectionRule('post-build', model, postBuildDiagnostics),
    fluxSectionRule('secrets', model, secretDiagnostics, { skipPatches: true }),
    fluxSectionRule('sops-config', model, sopsConfigDiagnostics),
    fluxSectionRule('practice-hints', model, practiceHints, { skipPatches: true }),
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
    model.invalidate();
    engine.invalidate([FLUX_MODEL_KEY, SUBSTITUTION_KEY]);
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
