import { printableJson } from './printable';
import type { Formatter } from './problem';

/** One JSON array of problems with exactly the documented fields. */
export const formatJson: Formatter = (problems) =>
  printableJson(problems.map(({ file, line, column, endLine, endColumn, severity, code, message }) => ({ file, line, column, endLine, endColumn, severity, code, message })));
