import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { YamlFile } from '../../documents/yamlFile';

/**
 * Where checking stops in a file with more documents than `fluxGitops.validation.maxDocumentsPerFile`
 * (the sections after the limit are not parsed): one information diagnostic on the first line not checked.
 */
export function documentLimitDiagnostic(file: YamlFile): Diagnostic | undefined {
  const limit = file.limit;
  if (!limit) return undefined;
  const lineEnd = file.text.indexOf('\n', limit.offset);
  return {
    range: { start: file.positionAt(limit.offset), end: file.positionAt(lineEnd < 0 ? file.text.length : lineEnd) },
    severity: DiagnosticSeverity.Information,
    code: 'document-limit',
    source: 'flux-gitops',
    message: `validation limited to the first ${limit.parsed} documents (fluxGitops.validation.maxDocumentsPerFile): the ${limit.skipped} after them are not checked`,
  };
}
