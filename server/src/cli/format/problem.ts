/** One lint finding as the CLI prints it: file relative to the linted folder with `/`, 1-based. */
export interface LintProblem {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  readonly severity: 'error' | 'warning' | 'info' | 'hint';
  readonly code: string;
  readonly message: string;
}

/** The code of the warning on each file lint did not check (unreadable, too large, not a regular file, ...). */
export const FILE_SKIPPED = 'file-skipped';

export type Formatter = (problems: readonly LintProblem[], toolVersion: string) => string;
