import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';

/**
 * YAML syntax errors and warnings of the section, as reported by the `yaml` parser (code
 * `yaml-syntax`; `nesting-limit` for a section too deeply nested to be checked), and the
 * characters Flux's YAML parser rejects while `yaml` accepts them (see `characterProblems`).
 */
export function yamlSyntax(ctx: SectionRuleContext): Diagnostic[] {
  const problems = [
    ...ctx.doc.errors.map((e) => ({ e, severity: DiagnosticSeverity.Error })),
    ...ctx.doc.warnings.map((e) => ({ e, severity: DiagnosticSeverity.Warning })),
  ];
  const parser = problems.map(({ e, severity }): Diagnostic => {
    const [start, end] = e.pos;
    return {
      range: ctx.range(start, Math.max(end, start + 1)),
      severity,
      code: e.code === 'RESOURCE_EXHAUSTION' ? 'nesting-limit' : 'yaml-syntax',
      source: 'flux-gitops',
      message: firstLine(e.message),
      data: { yamlCode: e.code },
    };
  });
  return [...parser, ...characterProblems(ctx)];
}

/**
 * Characters outside what Go's YAML parser (so Flux) reads, "control characters are not allowed":
 * C0 and C1 control characters other than tab, line feed, carriage return and NEL, and U+FFFE/U+FFFF;
 * and U+FFFD, what bytes that are not UTF-8 become when the editor or the CLI reads a file.
 */
const PROBLEM_CHARACTER = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffd-\uffff]/g;
const REPLACEMENT = '\ufffd';
/** Reported lines per section: a binary file must not cost a diagnostic per line. */
const MAX_CHARACTER_PROBLEMS = 100;

/**
 * One diagnostic per line holding a character Flux cannot read: an error for control characters
 * (Go's YAML parser fails on the whole file), a warning for U+FFFD (the text as read cannot tell
 * invalid UTF-8, which Go rejects, from a real U+FFFD, which it accepts).
 */
function characterProblems(ctx: SectionRuleContext): Diagnostic[] {
  const text = ctx.section.text;
  const found: Diagnostic[] = [];
  PROBLEM_CHARACTER.lastIndex = 0;
  for (let match = PROBLEM_CHARACTER.exec(text); match && found.length < MAX_CHARACTER_PROBLEMS; match = PROBLEM_CHARACTER.exec(text)) {
    const range = ctx.range(match.index, match.index + 1);
    const line = range.start.line + 1;
    const char = match[0];
    found.push(
      char === REPLACEMENT
        ? { range, severity: DiagnosticSeverity.Warning, code: 'invalid-utf8', source: 'flux-gitops', message: `U+FFFD on line ${line}: the file is probably not valid UTF-8 (invalid bytes read as U+FFFD), which Flux cannot read` }
        : { range, severity: DiagnosticSeverity.Error, code: 'control-character', source: 'flux-gitops', message: `${characterName(char)} on line ${line}: Flux cannot read this file (YAML allows no control characters)` },
    );
    // One per line: the search goes on at the next line.
    const lineEnd = text.indexOf('\n', match.index);
    if (lineEnd < 0) break;
    PROBLEM_CHARACTER.lastIndex = lineEnd + 1;
  }
  return found;
}

function characterName(char: string): string {
  const code = char.charCodeAt(0);
  if (code === 0) return 'NUL character (U+0000)';
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return code <= 0x9f ? `control character ${hex}` : `character ${hex}`;
}

function firstLine(message: string): string {
  const i = message.indexOf('\n');
  return i < 0 ? message : message.slice(0, i);
}
