// The fast common-YAML parser (server/src/documents/commonYaml.ts) against `yaml` on documents from
// a seeded structure-aware generator (test/support/yamlGenerator.ts): wherever the parser accepts a
// document, `yaml` must find no error in it and build the same AST; and enough documents must be
// accepted that the fast path is what gets tested. Each mismatch the generator found (at 200,000+
// documents) has its minimal snippet below.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { PARSE_OPTIONS, parseCommonYaml } from '../../../server/src/documents/commonYaml';
import { generateYamlDocuments } from '../../support/yamlGenerator';
import { astDifferences } from '../../support/yamlAst';

const COUNT = 5000;

test(`builds the same AST as yaml on ${COUNT} generated documents, and accepts a fair share of them`, () => {
  let accepted = 0;
  let clean = 0;
  const failures: string[] = [];
  for (const text of generateYamlDocuments(COUNT, 20261122)) {
    const theirs = parseDocument(text, PARSE_OPTIONS);
    if (!theirs.errors.length && !theirs.warnings.length) clean++;
    const ours = parseCommonYaml(text);
    if (!ours) continue;
    accepted++;
    const differences = astDifferences(ours, theirs);
    if (differences.length) failures.push(`${differences.slice(0, 3).join('; ')}\n  ${JSON.stringify(text)}`);
  }
  assert.deepEqual(failures.slice(0, 5), [], `${failures.length} generated documents differ from yaml's AST`);
  // About 28% of all and 43% of the error-free documents are accepted; the rest are constructs left
  // to yaml by design (root scalars, empty values before a comment or at the end, block scalars
  // starting with blank lines...) and the ones the generator writes outside the subset.
  assert.ok(accepted > COUNT / 5, `accepted only ${accepted} of ${COUNT}`);
  assert.ok(accepted > clean / 3, `accepted only ${accepted} of the ${clean} documents yaml parses without error`);
});

/** Minimal documents of each mismatch class the generator found: each accepted, with yaml's AST. */
const FOUND: Record<string, string> = {
  'nested flow collection followed by spaces (its node takes them in)': 'a: [[x] , {y: z}  , [ ] ]\n',
  'empty sequence item after comment lines (its node ends where the next content starts)': '- x\n# n\n-\n- y\n',
  'empty item after comments, in a nested sequence': 'a:\n  - x\n  # n\n\n  -\n  - y\n',
  'flow mapping key followed by spaces before its colon (the key leaves them out)': 'a: {x : 1, "y"  : [2], z: 3}\n',
  'flow mapping collection key followed by spaces (the key keeps them)': 'a: {[x] : 1}\n',
};

/** Mismatches resolved by declining: `yaml` reports an error there (KEY_OVER_1024_CHARS), by a rule not worth reproducing exactly. */
const KEY = 'k'.repeat(1023);
const DECLINED: Record<string, string> = {
  'quoted key whose colon is 1025 characters after its start': `"${KEY}": 1\n`,
  'plain key whose colon is over 1024 characters after its start (spaces before the colon count)': `${KEY}  : 1\n`,
  "key after an empty value (yaml's key start may lie back at the previous value's end)": `a:\n${KEY.slice(1)}  :\n- x\n`,
};

test('accepts each construct the generator found mismatched, with the AST yaml builds', () => {
  for (const [what, text] of Object.entries(FOUND)) {
    const ours = parseCommonYaml(text);
    assert.ok(ours, `declined: ${what}`);
    assert.deepEqual(astDifferences(ours, parseDocument(text, PARSE_OPTIONS)), [], what);
  }
});

test('declines the keys yaml rejects as longer than 1024 characters', () => {
  for (const [what, text] of Object.entries(DECLINED)) {
    assert.ok(parseDocument(text, PARSE_OPTIONS).errors.length, `yaml accepts: ${what}`);
    assert.equal(parseCommonYaml(text), undefined, what);
  }
  const longest = `"${KEY.slice(1)}": 1\n`; // the colon exactly 1024 characters after the quote
  assert.deepEqual(astDifferences(parseCommonYaml(longest)!, parseDocument(longest, PARSE_OPTIONS)), []);
});
