/**
 * Comments placed at random (head, line, foot, odd indentation, blank lines, sequences) in random
 * nested documents: after our encryption, `sops -d` must decrypt them as it decrypts its own
 * encryption of the same text. We replay yaml.v3's comment scan, but not every corner of its
 * parser (about 3% of such random layouts still differ, in runs of comments at mixed columns
 * across several dedents), hence a small bound; sops then only warns and leaves the comment.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encrypt } from '../../server/src/sops/stores/yaml';
import { DEFAULT_RULE } from '../../server/src/sops/metadata';
import { seededRandom } from '../support/seededRandom';
import { memoryIo, recipient, runSops, sopsBinary, sopsVersions } from './support';

const CASES = 40;
const ALLOWED_MISSES = 2;

function randomDocument(random: () => number): string {
  const pick = (n: number): number => Math.floor(random() * n);
  const lines: string[] = [];
  const block = (depth: number, indent: string): void => {
    for (let i = 0, n = 1 + pick(4); i < n; i++) {
      if (pick(3) === 0) lines.push(`${indent}# c${lines.length}`);
      if (pick(4) === 0) lines.push(`${' '.repeat(pick(indent.length + 3))}# odd${lines.length}`);
      if (pick(6) === 0) lines.push('');
      const key = `k${lines.length}`;
      const kind = depth > 2 ? 0 : pick(3);
      if (kind === 0) lines.push(`${indent}${key}: v${lines.length}${pick(3) === 0 ? ` # t${lines.length}` : ''}`);
      else if (kind === 1) {
        lines.push(`${indent}${key}:${pick(3) === 0 ? ` # kt${lines.length}` : ''}`);
        block(depth + 1, `${indent}  `);
      } else {
        lines.push(`${indent}${key}:`);
        const itemIndent = pick(2) ? `${indent}  ` : indent;
        for (let j = 0, m = 1 + pick(3); j < m; j++) {
          if (pick(3) === 0) lines.push(`${itemIndent}${pick(2) ? '  ' : ''}# s${lines.length}`);
          lines.push(`${itemIndent}- i${lines.length}${pick(4) === 0 ? ` # st${lines.length}` : ''}`);
        }
      }
    }
    if (pick(3) === 0) lines.push(`${' '.repeat(pick(indent.length + 2))}# foot${lines.length}`);
  };
  block(0, '');
  return `${lines.join('\n')}\n`;
}

const stillEncrypted = (text: string): number => (text.match(/#ENC\[/g) ?? []).length;

for (const version of sopsVersions()) {
  test(`sops ${version}: comments at random places decrypt as in sops' own round trip`, async () => {
    const binary = sopsBinary(version);
    const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-comments-'));
    const io = ['--input-type', 'yaml', '--output-type', 'yaml'];
    const random = seededRandom(20261122);
    const misses: string[] = [];
    try {
      for (let i = 0; i < CASES; i++) {
        const source = randomDocument(random);
        const ours = runSops(binary, ['-d', ...io], await encrypt(source, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo()), work);
        const theirs = runSops(binary, ['-d', ...io], runSops(binary, ['-e', ...io, '--age', recipient], source, work), work);
        if (stillEncrypted(ours) > stillEncrypted(theirs)) misses.push(source);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
    assert.ok(misses.length <= ALLOWED_MISSES, `${misses.length} of ${CASES} layouts left comments encrypted, e.g.:\n${misses[0]}`);
  });
}
