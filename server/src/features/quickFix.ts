import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver';
import type { CodeActionContextParams } from './context';

/**
 * A fix carried by a diagnostic in `diagnostic.data.fixes`: rules attach them when they know the
 * remedy, and one code-action provider turns them into quick fixes. Edits apply to the same file.
 */
export interface QuickFix {
  readonly title: string;
  readonly edits: readonly { readonly range: Range; readonly newText: string }[];
  readonly preferred?: boolean;
}

export interface FixData {
  readonly fixes: readonly QuickFix[];
}

export function withFixes(diagnostic: Diagnostic, fixes: readonly QuickFix[]): Diagnostic {
  return fixes.length ? { ...diagnostic, data: { fixes } satisfies FixData } : diagnostic;
}

export function fixesOf(diagnostic: Diagnostic): readonly QuickFix[] {
  const data = diagnostic.data as Partial<FixData> | undefined;
  return Array.isArray(data?.fixes) ? data.fixes : [];
}

/** Quick fixes from the diagnostics the client sent with the code-action request. */
export function quickFixActions(ctx: CodeActionContextParams): CodeAction[] {
  return ctx.diagnostics.flatMap((diagnostic) =>
    fixesOf(diagnostic).map((fix) => ({
      title: fix.title,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      isPreferred: fix.preferred ?? false,
      edit: { changes: { [ctx.uri]: fix.edits.map((e) => ({ range: e.range, newText: e.newText })) } },
    })),
  );
}
