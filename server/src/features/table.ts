import type { Rule } from './context';
import type { FeatureTable } from './providers';
import { keyCompletion } from './completion/keys';
import { skeletonCompletion } from './completion/skeletons';
import { valueCompletion } from './completion/values';
import { schemaHover } from './hover';
import { quickFixActions } from './quickFix';
import { fluxFeatures } from './flux/table';
import type { FluxModel } from '../flux/model';

/**
 * An engine's features in one fixed order: the core's, then Flux's when the engine has a Flux
 * model. Rules: in the order their diagnostics are listed (the core rules are validation/rules.ts,
 * replaced by tests). Completion: every provider's items are merged. Hover: the first provider
 * that answers wins, so Flux's, more specific, come before the schema hover. Add one with one line.
 */
export function featureTable(coreRules: readonly Rule[], flux: FluxModel | undefined): FeatureTable {
  const core: FeatureTable = {
    rules: coreRules,
    completionProviders: [keyCompletion, valueCompletion, skeletonCompletion],
    hoverProviders: [schemaHover],
    codeActionProviders: [quickFixActions],
  };
  if (!flux) return core;
  const added = fluxFeatures(flux);
  return {
    rules: [...core.rules, ...added.rules],
    completionProviders: [...core.completionProviders, ...added.completionProviders],
    hoverProviders: [...added.hoverProviders, ...core.hoverProviders],
    codeActionProviders: [...core.codeActionProviders, ...added.codeActionProviders],
  };
}
