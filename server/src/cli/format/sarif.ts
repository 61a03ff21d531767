import { printableJson } from './printable';
import type { Formatter, LintProblem } from './problem';

const LEVEL: Record<LintProblem['severity'], 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** SARIF 2.1.0, one run, one rule per diagnostic code, locations relative to the linted folder. */
export const formatSarif: Formatter = (problems, toolVersion) => {
  const ruleIds = [...new Set(problems.map((p) => p.code))].sort();
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'flux-gitops', version: toolVersion, informationUri: 'https://fluxcd.io', rules: ruleIds.map((id) => ({ id })) } },
        originalUriBaseIds: { SRCROOT: { description: { text: 'The linted folder' } } },
        results: problems.map((p) => ({
          ruleId: p.code,
          ruleIndex: ruleIds.indexOf(p.code),
          level: LEVEL[p.severity],
          message: { text: p.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: p.file, uriBaseId: 'SRCROOT' },
                region: { startLine: p.line, startColumn: p.column, endLine: p.endLine, endColumn: p.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
  return printableJson(log);
};
