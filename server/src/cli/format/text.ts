import { escapeControls } from './printable';
import { FILE_SKIPPED, type Formatter } from './problem';

/** `file:line:column: severity message [code]`, one line each (controls escaped), then a count line. */
export const formatText: Formatter = (problems) => {
  const lines = problems.map((p) => escapeControls(`${p.file}:${p.line}:${p.column}: ${p.severity} ${p.message} [${p.code}]`));
  const count = (s: string): number => problems.filter((p) => p.severity === s).length;
  const skipped = problems.filter((p) => p.code === FILE_SKIPPED).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${problems.length - count('error') - count('warning')} other; ${skipped} file(s) skipped`);
  return lines.join('\n') + '\n';
};
