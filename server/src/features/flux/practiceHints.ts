/** Good-practice hints (flux/practices.ts) as `hint` diagnostics, each switchable by `fluxGitops.hints`. Codes: hint-<id>. */
import type { Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';
import { sectionValue } from '../../documents/section';
import type { FluxModel } from '../../flux/model';
import { practiceFindings } from '../../flux/practices';
import { fluxKind } from '../../schema/fluxKnowledge';
import { pathToUri } from '../../workspace/uri';
import { diagnostic, HINT, keyNodeAt } from './common';

function appliesCrds(ctx: SectionRuleContext, model: FluxModel): boolean {
  const info = model.kustomizationOf(ctx.object);
  return !!info?.applied?.files.some((f) => ctx.index.inFile(pathToUri(f.file)).some((o) => o.kind === 'CustomResourceDefinition'));
}

/** Files `flux bootstrap` writes and rewrites (gotk-sync.yaml, gotk-components.yaml): not the user's to tune. */
const BOOTSTRAP_FILE = /\/gotk-[a-z-]+\.ya?ml$/;

export function practiceHints(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  const object = ctx.object;
  if (!object || !fluxKind(object.group, object.kind) || BOOTSTRAP_FILE.test(ctx.uri)) return [];
  const findings = practiceFindings({
    kind: object.kind,
    value: model.fluxObject(object)?.value ?? sectionValue(ctx.section),
    appliesCrds: object.kind === 'Kustomization' && appliesCrds(ctx, model),
    enabled: ctx.settings.hints,
  });
  return findings.flatMap((f) => {
    const node = keyNodeAt(ctx.doc, f.path.map(String));
    return node ? [diagnostic(ctx.nodeRange(node), HINT, `hint-${f.hint}`, f.message)] : [];
  });
}
