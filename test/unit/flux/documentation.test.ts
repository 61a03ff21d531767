// The Flux diagnostic codes and hint settings stay documented: README "Flux checks" lists every
// code the Flux sources can emit, and package.json declares every hint id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { PRACTICE_HINTS } from '../../../server/src/flux/practices';

const root = path.resolve(__dirname, '../../..');
const CODE = /'((?:flux|kustomize|marker|semver|subst|secret|sops-config|sops-decryption)-[a-z-]+)'/g;
/** Strings of that shape that are not diagnostic codes: the source name, a namespace, rule ids (table.ts). */
const NOT_CODES = new Set(['flux-gitops', 'flux-system']);

function sourceCodes(): Set<string> {
  const codes = new Set<string>();
  for (const dir of ['server/src/flux', 'server/src/features/flux']) {
    for (const name of readdirSync(path.join(root, dir)).filter((n) => n !== 'table.ts')) {
      const text = readFileSync(path.join(root, dir, name), 'utf8');
      for (const m of text.matchAll(CODE)) if (!NOT_CODES.has(m[1]!)) codes.add(m[1]!);
    }
  }
  for (const id of Object.keys(PRACTICE_HINTS)) codes.add(`hint-${id}`);
  return codes;
}

test('README "Flux checks" lists every Flux diagnostic code', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Flux checks'), readme.indexOf('\n## ', readme.indexOf('## Flux checks') + 1));
  const codes = sourceCodes();
  assert.ok(codes.size > 30, `found only ${codes.size} codes`);
  for (const code of codes) assert.ok(section.includes(`\`${code}\``), `${code} is not documented`);
});

test('package.json declares every hint id under fluxGitops.hints', () => {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { properties?: Record<string, unknown> }> } };
  };
  const declared = Object.keys(pkg.contributes.configuration.properties['fluxGitops.hints']?.properties ?? {}).sort();
  assert.deepEqual(declared, Object.keys(PRACTICE_HINTS).sort());
});
