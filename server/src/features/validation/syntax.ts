import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';

/** YAML syntax errors and warnings of the section, as reported by the `yaml` parser. Code: `yaml-syntax`. */
export function yamlSyntax(ctx: SectionRuleContext): Diagnostic[] {
  const problems = [
    ...ctx.doc.errors.map((e) => ({ e, severity: DiagnosticSeverity.Error })),
    ...ctx.doc.warnings.map((e) => ({ e, severity: DiagnosticSeverity.Warning })),
  ];
  return problems.map(({ e, severity }) => {
    const [start, end] = e.pos;
    return {
      range: ctx.range(start, Math.max(end, start + 1)),
      severity,
      code: 'yaml-syntax',
      source: 'flux-gitops',
      message: firstLine(e.message),
      data: { yamlCode: e.code },
    };
  });
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return i < 0 ? message : message.slice(0, i);
}
