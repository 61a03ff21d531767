/** Rewrites one age entry (`enc` armor) of a SOPS YAML file, for the key-recovery tests. */

/** Edits one armor line (0 = the BEGIN line) of an armor text. */
function editLine(armor: string, index: number, edit: (line: string) => string): string {
  return armor
    .split('\n')
    .map((l, i) => (i === index ? edit(l) : l))
    .join('\n');
}

/** Ways to damage an armor (its text as YAML yields it: lines ending in "\n"). */
export const STANZA_DAMAGES = {
  /** A character outside base64 in the first data line: the armor does not decode. */
  junk: (armor: string): string => editLine(armor, 1, (l) => `${l.slice(0, 10)}!${l.slice(11)}`),
  /** The END line gone: the armor ends early. */
  truncated: (armor: string): string => armor.replace(/-----END AGE ENCRYPTED FILE-----\n$/, ''),
  /** One valid base64 character changed at the start: the armor decodes, the age header does not parse. */
  flipped: (armor: string): string => editLine(armor, 1, (l) => `${l[0] === 'Z' ? 'Y' : 'Z'}${l.slice(1)}`),
} as const;

/**
 * `yaml` with the `index`-th age entry (in file order, across key groups) replaced by
 * `edit(armor)`, written as a double-quoted scalar so that any character (CR, spaces) survives.
 */
export function replaceEnc(yaml: string, index: number, edit: (armor: string) => string): string {
  const lines = yaml.split('\n');
  let seen = -1;
  const encLine = lines.findIndex((l) => /^[\s-]*enc: /.test(l) && ++seen === index);
  const begin = encLine + 1;
  if (encLine === -1 || !/^[\s-]*enc: \|$/.test(lines[encLine] as string)) throw new Error(`no age entry ${index} written as a literal block`);
  const end = lines.findIndex((l, i) => i > begin && l.trim() === '-----END AGE ENCRYPTED FILE-----');
  const armor = `${lines
    .slice(begin, end + 1)
    .map((l) => l.trim())
    .join('\n')}\n`;
  // A JSON string is a valid YAML double-quoted scalar.
  const enc = (lines[begin - 1] as string).replace(/\|$/, JSON.stringify(edit(armor)));
  return [...lines.slice(0, begin - 1), enc, ...lines.slice(end + 1)].join('\n');
}
