import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse, parseDocument } from 'yaml';
import { creationRuleCovers, validateSopsConfig } from '../../../server/src/flux/sopsConfig';

const fixtures = path.resolve(__dirname, '../../..', '../shared/fixtures');
const RECIPIENT = 'age1helqcqsh9464r8chnwc2fzj8uv7vr5ntnsft0tn45v2xtz0hpfwq98cmsg';

function check(text: string) {
  return validateSopsConfig(parseDocument(text));
}

test('the kustomize-controller fixture .sops.yaml is clean', () => {
  const text = readFileSync(path.join(fixtures, 'sops/kustomize-controller/.sops.yaml'), 'utf8');
  assert.deepEqual(check(text).filter((p) => p.severity === 'error'), []);
});

test('a typical Flux config is clean', () => {
  assert.deepEqual(check(`creation_rules:\n  - path_regex: .*.yaml\n    encrypted_regex: ^(data|stringData)$\n    age: ${RECIPIENT}\n`), []);
});

test('unknown keys are warnings naming the key', () => {
  const problems = check(`creation_rules:\n  - path_regex: x\n    encrypted_regexp: ^data$\n    age: ${RECIPIENT}\ncreation_rule: []\n`);
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['sops-config-unknown-key', 'warning'], ['sops-config-unknown-key', 'warning']]);
  assert.match(problems[1]!.message, /encrypted_regexp/);
});

test('regexes Go cannot compile are errors with Go\'s reason', () => {
  const problems = check(`creation_rules:\n  - path_regex: (?!secret).*\n    age: ${RECIPIENT}\n  - path_regex: "[unclosed"\n    age: ${RECIPIENT}\n  - path_regex: x\n    encrypted_regex: (a)\\1\n    age: ${RECIPIENT}\n`);
  assert.deepEqual(
    problems.map((p) => `${p.code}: ${p.message}`),
    [
      'sops-config-regex: path_regex: error parsing regexp: invalid or unsupported Perl syntax: `(?!`',
      'sops-config-regex: path_regex: error parsing regexp: missing closing ]: `[unclosed`',
      'sops-config-regex: encrypted_regex: error parsing regexp: invalid escape sequence: `\\1`',
    ],
  );
});

test('Go regex syntax JavaScript lacks is valid: flag groups, POSIX classes, \\pL, \\Q…\\E, (?P<name>…)', () => {
  const patterns = ['(?i:secret)', '((?i)(password|^data$))', '^([[:lower:]]+Data|data)$', '^prod/[[:alnum:]_-]+\\.yaml$', '\\pL+', '\\Qa.b\\E', '(?P<env>prod|dev)/.*', '(?i)^secrets/.*\\.yaml$', '\\Aprod\\z'];
  const rules = patterns.map((p) => `  - path_regex: ${JSON.stringify(p)}\n    age: ${RECIPIENT}\n`).join('');
  assert.deepEqual(check(`creation_rules:\n${rules}`), []);
});

test('age recipients must look like age1...; ssh recipients only warn', () => {
  const problems = check(`creation_rules:\n  - age: ${RECIPIENT},age1bad\n  - path_regex: x\n    key_groups:\n      - age:\n          - ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA user\n`);
  assert.deepEqual(problems.filter((p) => p.code === 'sops-config-recipient').map((p) => p.severity), ['error', 'warning']);
});

test('two encryption rules in one creation rule is an error', () => {
  const problems = check(`creation_rules:\n  - encrypted_regex: ^data$\n    unencrypted_suffix: _plain\n    age: ${RECIPIENT}\n`);
  assert.deepEqual(problems.map((p) => p.code), ['sops-config-rules']);
});

test('rules after a catch-all are unreachable', () => {
  const problems = check(`creation_rules:\n  - age: ${RECIPIENT}\n  - path_regex: prod/.*\n    age: ${RECIPIENT}\n`);
  assert.deepEqual(problems.map((p) => [p.code, p.severity]), [['sops-config-rules', 'warning']]);
});

test('structure errors', () => {
  assert.equal(check('- a\n')[0]?.code, 'sops-config-structure');
  assert.equal(check('creation_rules: x\n')[0]?.code, 'sops-config-structure');
  assert.deepEqual(check(''), []);
});

test('creationRuleCovers follows first-match with optional path_regex', () => {
  const config = parse(`creation_rules:\n  - path_regex: ^clusters/.*\\.yaml$\n    age: ${RECIPIENT}\n`);
  assert.equal(creationRuleCovers(config, 'clusters/prod/secret.yaml'), true);
  assert.equal(creationRuleCovers(config, 'apps/secret.yaml'), false);
  assert.equal(creationRuleCovers(parse(`creation_rules:\n  - age: ${RECIPIENT}\n`), 'anything.yaml'), true);
  assert.equal(creationRuleCovers(null, 'x.yaml'), false);
});

test('creationRuleCovers reads path_regex as Go does (POSIX classes, unanchored MatchString)', () => {
  const config = parse(`creation_rules:\n  - path_regex: ^prod/[[:alnum:]_-]+\\.yaml$\n    age: ${RECIPIENT}\n  - path_regex: (?i)STAGING\n    age: ${RECIPIENT}\n`);
  assert.equal(creationRuleCovers(config, 'prod/db.yaml'), true);
  assert.equal(creationRuleCovers(config, 'prod/sub/db.yaml'), false);
  assert.equal(creationRuleCovers(config, 'apps/staging/db.yaml'), true);
});
