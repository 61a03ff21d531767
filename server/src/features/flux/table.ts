/** The Flux features over one FluxModel: rules, completion, hover and code actions. */
import type { FluxModel } from '../../flux/model';
import type { FeatureTable } from '../providers';
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

export function fluxFeatures(model: FluxModel): FeatureTable {
  return {
    // In the order their diagnostics are listed, with the model facets each reads.
    rules: [
      fluxSectionRule('flux-references', model, ['references'], referenceDiagnostics, { skipPatches: true }),
      fluxSectionRule('flux-path', model, ['kustomizations'], kustomizationPathDiagnostics, { skipPatches: true }),
      fluxSectionRule('kustomize-resources', model, ['tree'], kustomizeResourceDiagnostics),
      fluxSectionRule('image-markers', model, ['images'], markerDiagnostics),
      plainSectionRule('semver-ranges', semverDiagnostics),
      fluxSectionRule('post-build', model, ['applied'], postBuildDiagnostics),
      fluxSectionRule('secrets', model, ['applied'], secretDiagnostics, { skipPatches: true }),
      plainSectionRule('sops-config', sopsConfigDiagnostics),
      fluxSectionRule('practice-hints', model, ['kustomizations'], practiceHints, { skipPatches: true }),
    ],
    completionProviders: [
      (ctx) => referenceCompletion(ctx, model),
      (ctx) => markerCompletion(ctx, model),
      (ctx) => kustomizationPathCompletion(ctx, model),
    ],
    // Most specific first.
    hoverProviders: [
      (ctx) => markerHover(ctx, model),
      (ctx) => postBuildHover(ctx, model),
      semverHover,
      (ctx) => kustomizationPathHover(ctx, model),
      (ctx) => referenceHover(ctx, model),
    ],
    codeActionProviders: [secretCodeActions],
  };
}
