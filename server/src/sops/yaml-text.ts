/** Writing scalars back as YAML text that Go's yaml.v3 (and sops) reads as the same typed value. */
import { resolvePlain, type TypedScalar } from './scalars';

const YAML11_WORDS = /^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** True when `s` can be written unquoted and still reads back as this exact string. */
export function plainSafe(s: string, flow: boolean): boolean {
  if (s === '' || s !== s.trim() || /[\x00-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(s)) return false;
  if (/^[[\]{},#&*!|>'"%@`]/.test(s) || /^[-?:](\s|$)/.test(s) || /^(---|\.\.\.)/.test(s)) return false;
  if (/: |:$| #/.test(s) || (flow && /[[\]{},]/.test(s))) return false;
  if (YAML11_WORDS.test(s)) return false;
  try {
    const typed = resolvePlain(s);
    return typed !== null && typed.type === 'str';
  } catch {
    return false;
  }
}

/** A string as a one-line YAML scalar: plain when safe, else double-quoted (JSON escapes are valid YAML). */
export function inlineString(s: string, flow = false): string {
  return plainSafe(s, flow) ? s : JSON.stringify(s);
}

/**
 * A decrypted value as YAML text at a value position. Multi-line strings in block context become
 * literal blocks indented from `parentColumn`; floats keep a `.0` so they stay floats on re-encryption.
 */
export function valueText(typed: TypedScalar, flow: boolean, parentColumn: number, eol = '\n'): string {
  switch (typed.type) {
    case 'int':
    case 'time':
      return typed.text;
    case 'bool':
      return typed.text === 'True' ? 'true' : 'false';
    case 'float': {
      const special: Record<string, string> = { NaN: '.nan', '+Inf': '.inf', '-Inf': '-.inf' };
      if (Object.hasOwn(special, typed.text)) return special[typed.text] as string;
      return /^-?\d+$/.test(typed.text) ? `${typed.text}.0` : typed.text;
    }
    default:
      return stringText(typed.text, flow, parentColumn, eol);
  }
}

function stringText(s: string, flow: boolean, parentColumn: number, eol: string): string {
  const literalOk =
    !flow && s.includes('\n') && !/[\x00-\x08\x0b-\x1f\x7f\r\u0085\u2028\u2029\ufeff]/.test(s) && !/^[ \n]/.test(s) && !s.endsWith('\n\n') && !/ \n|[ \t]$/.test(s);
  if (!literalOk) return inlineString(s, flow);
  const indent = ' '.repeat(parentColumn);
  const body = s.endsWith('\n') ? s.slice(0, -1) : s;
  const lines = body.split('\n').map((line) => (line === '' ? '' : indent + line));
  return `${s.endsWith('\n') ? '|' : '|-'}${eol}${lines.join(eol)}`;
}
