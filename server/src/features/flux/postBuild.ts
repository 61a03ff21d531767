/**
 * Flux post-build substitution in the files a Kustomization with spec.postBuild applies: malformed
 * or unsupported `${...}` (errors, the build fails), variables defined nowhere and without default
 * (warning), invalid names in spec.postBuild.substitute (error); hover shows where a value comes
 * from. Objects with kustomize.toolkit.fluxcd.io/substitute: disabled are skipped.
 * Codes: subst-unbalanced, subst-unsupported-operator, subst-bad-syntax, subst-undefined, subst-variable-name.
 */
import { isMap, isScalar } from 'yaml';
import type { Diagnostic, Hover } from 'vscode-languageserver';
import type { PositionContext, SectionRuleContext } from '../context';
import { nodeAtPath } from '../../documents/nodes';
import { sectionValue, type Section } from '../../documents/section';
import type { FluxModel, KustomizationInfo } from '../../flux/model';
import {
  describeVariable, hasDefault, isValidVariableName, scanYamlSubstitutions, substitutionDisabled, variableOrigin,
  type SubstituteFromSource, type SubstitutionContext,
} from '../../flux/substitution';
import { diagnostic, ERROR, WARNING } from './common';

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** What a Kustomization's postBuild defines, with the keys of substituteFrom objects found in the workspace. */
export function substitutionContext(info: KustomizationInfo, model: FluxModel): SubstitutionContext {
  const postBuild = record(record(info.flux.value.spec)?.postBuild) ?? {};
  const inline = new Map(Object.entries(record(postBuild.substitute) ?? {}).map(([k, v]) => [k, String(v)]));
  const from: SubstituteFromSource[] = (Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : []).flatMap((entry: unknown) => {
    const e = record(entry);
    const kind = e?.kind === 'Secret' ? 'Secret' : e?.kind === 'ConfigMap' ? 'ConfigMap' : undefined;
    if (!kind || typeof e?.name !== 'string') return [];
    const target = model.lookup([kind], e.name, info.flux.namespace).find((t) => !t.producedBy);
    const keys = target && new Set([...Object.keys(record(target.flux.value.data) ?? {}), ...Object.keys(record(target.flux.value.stringData) ?? {})]);
    return [{ kind, name: e.name, optional: e.optional === true, ...(keys ? { keys } : {}) }];
  });
  return { inline, from };
}

function substitutingKustomizations(uri: string, section: Section, model: FluxModel): readonly KustomizationInfo[] {
  const applying = model.substitutedBy(uri);
  if (applying.length === 0) return [];
  const metadata = record(record(sectionValue(section))?.metadata);
  return substitutionDisabled(metadata) ? [] : applying;
}

const name = (info: KustomizationInfo): string => `${info.flux.namespace ?? ''}/${info.flux.object.name ?? ''}`;

function substituteKeyDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  if (!model.kustomizationOf(ctx.object)) return [];
  const substitute = nodeAtPath(ctx.doc, ['spec', 'postBuild', 'substitute']);
  if (!isMap(substitute)) return [];
  return substitute.items.flatMap((pair) => {
    const key = pair.key;
    if (!isScalar(key) || isValidVariableName(String(key.value))) return [];
    return [diagnostic(ctx.nodeRange(key), ERROR, 'subst-variable-name', `"${String(key.value)}" is not a valid variable name: it must match ^[_[:alpha:]][_[:alpha:][:digit:]]*$`)];
  });
}

export function postBuildDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  const result = substituteKeyDiagnostics(ctx, model);
  const applying = substitutingKustomizations(ctx.uri, ctx.section, model);
  if (applying.length === 0) return result;
  const scan = scanYamlSubstitutions(ctx.section.text);
  for (const p of scan.problems) result.push(diagnostic(ctx.range(p.start, p.end), ERROR, p.code, `post-build substitution fails: ${p.message}`));
  const contexts = applying.map((info) => ({ info, context: substitutionContext(info, model) }));
  for (const use of scan.uses) {
    if (use.nested || hasDefault(use)) continue;
    const missing = contexts.filter(({ context }) => variableOrigin(use, context).kind === 'undefined');
    if (missing.length === 0) continue;
    result.push(diagnostic(ctx.range(use.start, use.end), WARNING, 'subst-undefined',
      `\${${use.name}} is set neither in spec.postBuild.substitute nor by substituteFrom of Kustomization ${missing.map((m) => name(m.info)).join(', ')}, and has no default`));
  }
  return result;
}

export function postBuildHover(ctx: PositionContext, model: FluxModel): Hover | undefined {
  const applying = substitutingKustomizations(ctx.uri, ctx.section, model);
  if (applying.length === 0) return undefined;
  const use = scanYamlSubstitutions(ctx.section.text).uses.find((u) => u.start <= ctx.offset && ctx.offset <= u.end);
  if (!use) return undefined;
  const value = applying.map((info) => describeVariable(use, substitutionContext(info, model), name(info))).join('\n\n---\n\n');
  return { contents: { kind: 'markdown', value }, range: ctx.file.range(ctx.section, use.start, use.end) };
}
