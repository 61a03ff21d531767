/**
 * Keeps an engine's cached diagnostics in step with its FluxModel: after a store change that may
 * change the model, only the results that read a facet whose facts changed are dropped (and the
 * core's schema checks when the substitution policy's answers may have changed).
 */
import type { DocumentStore } from '../documents/store';
import { SUBSTITUTION_KEY } from './ruleContext';
import { FLUX_FACETS, FluxModel } from '../flux/model';

export function trackFluxModel(model: FluxModel, documents: DocumentStore, invalidate: (keys: readonly string[]) => void): void {
  documents.onDidChange((change) => {
    if (!FluxModel.isRelevant(change)) return;
    const changed = model.changedFacets();
    const keys: string[] = changed.map((facet) => FLUX_FACETS[facet]);
    // The core's schema checks ask the substitution policy: re-run them only when its answer may change.
    if (changed.includes('substituted')) keys.push(SUBSTITUTION_KEY);
    if (keys.length) invalidate(keys);
  });
}
