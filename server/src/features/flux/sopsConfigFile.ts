/** `.sops.yaml` validation (flux/sopsConfig.ts) as diagnostics. Codes: sops-config-*. */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';
import { SOPS_CONFIG_NAME } from '../../flux/model';
import { validateSopsConfig } from '../../flux/sopsConfig';
import { uriToPath } from '../../workspace/uri';
import { diagnostic, ERROR, WARNING } from './common';

export function sopsConfigDiagnostics(ctx: SectionRuleContext): Diagnostic[] {
  // The section test first: converting the URI for every section of a large file costs more than the rule.
  if (ctx.section.index !== 0) return [];
  const file = uriToPath(ctx.uri);
  if (!file || path.basename(file) !== SOPS_CONFIG_NAME) return [];
  return validateSopsConfig(ctx.doc).map((p) => diagnostic(ctx.range(p.start, p.end), p.severity === 'error' ? ERROR : WARNING, p.code, p.message));
}
