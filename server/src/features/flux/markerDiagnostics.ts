/**
 * Image automation setter markers as image-automation-controller reads them (flux/markers.ts),
 * plus what needs the workspace: the ImagePolicy exists, the file is under an
 * ImageUpdateAutomation's spec.update.path, the policy is in the automation's namespace and
 * selected by its spec.policySelector, and a `:digest` marker's policy reflects digests.
 * Codes: marker-* (see README "Flux checks").
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';
import { withFixes, type QuickFix } from '../quickFix';
import { findMarkers, type Marker, type MarkerProblem } from '../../flux/markers';
import type { FluxModel, FluxObject } from '../../flux/model';
import { selects, type LabelSelector } from '../../flux/labelSelector';
import { uriToPath } from '../../workspace/uri';
import { diagnostic, WARNING } from './common';

function problemDiagnostic(ctx: SectionRuleContext, problem: MarkerProblem, fixes: QuickFix[]): Diagnostic {
  const d = diagnostic(ctx.range(problem.start, problem.end), WARNING, problem.code, problem.message);
  const own = problem.fix ? [{ title: problem.fix.title, edits: [{ range: ctx.range(problem.fix.edit.start, problem.fix.edit.end), newText: problem.fix.edit.newText }], preferred: true }] : [];
  return withFixes(d, [...own, ...fixes]);
}

/** "namespace:name" candidates for a marker missing its namespace: the policies with that name. */
function namespaceFixes(ctx: SectionRuleContext, model: FluxModel, marker: Marker): QuickFix[] {
  if (!marker.value) return [];
  const name = marker.value.text;
  return model.lookup(['ImagePolicy'], name, undefined).flatMap((t) =>
    t.flux.namespace ? [{ title: `Use "${t.flux.namespace}:${name}"`, edits: [{ range: ctx.range(marker.value!.start, marker.value!.end), newText: `${t.flux.namespace}:${name}` }] }] : [],
  );
}

function policySelector(automation: FluxObject): LabelSelector | undefined {
  const selector = (automation.value.spec as { policySelector?: unknown } | undefined)?.policySelector;
  return typeof selector === 'object' && selector !== null ? (selector as LabelSelector) : undefined;
}

function labelsOf(f: FluxObject): Record<string, unknown> {
  const labels = (f.value.metadata as { labels?: unknown } | undefined)?.labels;
  return typeof labels === 'object' && labels !== null ? (labels as Record<string, unknown>) : {};
}

function workspaceChecks(ctx: SectionRuleContext, model: FluxModel, marker: Marker): Diagnostic[] {
  const ref = marker.ref;
  if (!ref || !marker.value) return [];
  const at = ctx.range(marker.value.start, marker.value.end);
  const found: Diagnostic[] = [];
  const policies = model.lookup(['ImagePolicy'], ref.name, ref.namespace);
  if (policies.length === 0) {
    found.push(diagnostic(at, WARNING, 'marker-policy-missing', `ImagePolicy ${ref.namespace}/${ref.name} is not in the workspace`));
  }
  const file = uriToPath(ctx.uri);
  if (file && model.automations.length > 0) {
    const covering = model.automations.filter((a) => file.startsWith(a.folder + path.sep));
    if (covering.length === 0) {
      found.push(diagnostic(at, WARNING, 'marker-outside-automation', 'image-automation-controller ignores this marker: the file is outside every ImageUpdateAutomation spec.update.path'));
    } else {
      const sameNamespace = covering.filter((a) => a.automation.namespace === undefined || a.automation.namespace === ref.namespace);
      const names = (list: typeof covering) => list.map((a) => `${a.automation.namespace}/${a.automation.object.name}`).join(', ');
      if (sameNamespace.length === 0) {
        found.push(diagnostic(at, WARNING, 'marker-namespace', `image-automation-controller ignores this marker: ${names(covering)} only uses ImagePolicies in its own namespace, not ${ref.namespace}`));
      } else if (policies.length > 0 && !sameNamespace.some((a) => policies.some((p) => selects(policySelector(a.automation), labelsOf(p.flux))))) {
        found.push(diagnostic(at, WARNING, 'marker-policy-selector', `image-automation-controller ignores this marker: the spec.policySelector of ${names(sameNamespace)} does not select ImagePolicy ${ref.namespace}/${ref.name}`));
      }
    }
  }
  if (ref.suffix === 'digest') {
    const withoutDigest = policies.filter((p) => !(p.flux.value.spec as Record<string, unknown> | undefined)?.digestReflectionPolicy);
    if (policies.length > 0 && withoutDigest.length === policies.length) {
      found.push(diagnostic(at, WARNING, 'marker-digest-policy', `ImagePolicy ${ref.namespace}/${ref.name} has no spec.digestReflectionPolicy: the automation writes "" here`));
    }
  }
  return found;
}

export function markerDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  return findMarkers(ctx.section.text).flatMap((marker) => [
    ...marker.problems.map((p) => problemDiagnostic(ctx, p, p.code === 'marker-missing-namespace' ? namespaceFixes(ctx, model, marker) : [])),
    ...workspaceChecks(ctx, model, marker),
  ]);
}
