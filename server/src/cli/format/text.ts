import type { Formatter } from './problem';

/** `file:line:column: severity message [code]`, then a count line. */
export const formatText: Formatter = (problems) => {
  const lines = problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.severity} ${p.message} [${p.code}]`);
  const count = (s: string): number => problems.filter((p) => p.severity === s).length;
  lines.push(`${count('error')} error(s), ${count('warning')} warning(s), ${problems.length - count('error') - count('warning')} other`);
  return lines.join('\n') + '\n';
};
