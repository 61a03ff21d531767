import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeVariable, hasDefault, isValidVariableName, scanSubstitutions, scanYamlSubstitutions,
  substitutionDisabled, variableOrigin, type SubstitutionContext,
} from '../../../server/src/flux/substitution';

const valid: [string, string, string | undefined][] = [
  ['${cluster_env}', 'cluster_env', undefined],
  ['prefix-${REGION}-suffix', 'REGION', undefined],
  ['${var:=default}', 'var', ':='],
  ['${var:-default}', 'var', ':-'],
  ['${var=default}', 'var', '='],
  ['${var:1}', 'var', 'substring'],
  ['${var:1:3}', 'var', 'substring'],
  ['${var/a/b}', 'var', '/'],
  ['${var//a/b}', 'var', '//'],
  ['${var/#a/b}', 'var', '/#'],
  ['${var/%a/}', 'var', '/%'],
  ['${var#pre}', 'var', '#'],
  ['${var##pre}', 'var', '##'],
  ['${var%suf}', 'var', '%'],
  ['${var%%suf}', 'var', '%%'],
  ['${var^}', 'var', '^'],
  ['${var^^}', 'var', '^^'],
  ['${var,}', 'var', ','],
  ['${var,,}', 'var', ',,'],
  ['${#var}', 'var', 'length'],
];
for (const [text, name, operator] of valid) {
  test(`reads ${text}`, () => {
    const scan = scanSubstitutions(text);
    assert.deepEqual(scan.problems, []);
    assert.equal(scan.uses.length, 1);
    assert.equal(scan.uses[0].name, name);
    assert.equal(scan.uses[0].operator, operator);
    assert.equal(text.slice(scan.uses[0].start, scan.uses[0].end), text.replace(/^prefix-|-suffix$/g, ''));
  });
}

const invalid: [string, string][] = [
  ['${var', 'subst-unbalanced'],
  ['x ${var:-default', 'subst-unbalanced'],
  ['${', 'subst-unbalanced'],
  ['${var+x}', 'subst-unsupported-operator'],
  ['${var-x}', 'subst-unsupported-operator'],
  ['${var:?x}', 'subst-unsupported-operator'],
  ['${var:+x}', 'subst-unsupported-operator'],
  ['${}', 'subst-bad-syntax'],
  ['${ var}', 'subst-bad-syntax'],
  ['${var.x}', 'subst-bad-syntax'],
  ['${var:}', 'subst-bad-syntax'],
  ['${var/a}', 'subst-bad-syntax'],
  ['${var#}', 'subst-bad-syntax'],
];
for (const [text, code] of invalid) {
  test(`rejects ${text} (${code})`, () => {
    const scan = scanSubstitutions(text);
    assert.equal(scan.problems.length, 1, JSON.stringify(scan));
    assert.equal(scan.problems[0].code, code);
    assert.equal(scan.problems[0].start, text.indexOf('${'));
  });
}

test('$$ escapes and plain $var are literal', () => {
  assert.deepEqual(scanSubstitutions('$${var} and $var and $ and $$').uses, []);
  assert.deepEqual(scanSubstitutions('$${var} and $var').problems, []);
  assert.deepEqual(scanSubstitutions('$$${real}').uses.map((u) => u.name), ['real']);
});

test('defaults may nest expressions, which are marked nested', () => {
  const scan = scanSubstitutions('${a:-${b}-x}');
  assert.deepEqual(scan.problems, []);
  assert.deepEqual(scan.uses.map((u) => [u.name, u.nested]), [['b', true], ['a', false]]);
  const a = scan.uses.find((u) => u.name === 'a')!;
  assert.equal(a.defaultText, '${b}-x');
  assert.equal(hasDefault(a), true);
  assert.equal(hasDefault(scan.uses.find((u) => u.name === 'b')!), false);
});

test('one bad expression does not hide the next', () => {
  const scan = scanSubstitutions('${a+x} ${b}');
  assert.equal(scan.problems.length, 1);
  assert.deepEqual(scan.uses.map((u) => u.name), ['b']);
});

test('variable names follow ^[_[:alpha:]][_[:alpha:][:digit:]]*$', () => {
  for (const ok of ['a', '_a', 'cluster_env', 'A1', '__']) assert.equal(isValidVariableName(ok), true, ok);
  for (const bad of ['1a', 'a-b', 'a.b', '', 'é', 'a b']) assert.equal(isValidVariableName(bad), false, bad);
});

test('YAML scan covers keys, values and block scalars, not comments, with file offsets', () => {
  const text = 'metadata:\n  name: app-${env}\n  # ${ignored\n  ${key}: v\ndata:\n  script: |\n    echo ${msg:=hi}\n  bad: "${oops"\n';
  const scan = scanYamlSubstitutions(text);
  assert.deepEqual(scan.uses.map((u) => u.name).sort(), ['env', 'key', 'msg']);
  for (const u of scan.uses) assert.equal(text.slice(u.nameStart, u.nameStart + u.name.length), u.name);
  assert.equal(scan.problems.length, 1);
  assert.equal(text.slice(scan.problems[0].start, scan.problems[0].start + 6), '${oops');
});

test('substitution can be disabled by label or annotation', () => {
  assert.equal(substitutionDisabled({ labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }), true);
  assert.equal(substitutionDisabled({ annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }), true);
  assert.equal(substitutionDisabled({ annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'enabled' } }), false);
  assert.equal(substitutionDisabled(undefined), false);
});

test('origin: inline beats substituteFrom, the last source wins, unknown sources make it possible', () => {
  const use = (text: string) => scanSubstitutions(text).uses[0];
  const ctx: SubstitutionContext = {
    inline: new Map([['env', 'prod']]),
    from: [
      { kind: 'ConfigMap', name: 'first', optional: false, keys: new Set(['region', 'env']) },
      { kind: 'Secret', name: 'second', optional: true, keys: new Set(['region']) },
    ],
  };
  assert.deepEqual(variableOrigin(use('${env}'), ctx), { kind: 'inline', value: 'prod' });
  const region = variableOrigin(use('${region}'), ctx);
  assert.equal(region.kind === 'substituteFrom' && region.source.name, 'second');
  assert.deepEqual(variableOrigin(use('${zone:=eu}'), ctx), { kind: 'default', text: 'eu' });
  assert.deepEqual(variableOrigin(use('${zone}'), ctx), { kind: 'undefined' });
  const unknown: SubstitutionContext = { inline: new Map(), from: [{ kind: 'ConfigMap', name: 'vars', optional: false }] };
  assert.equal(variableOrigin(use('${zone}'), unknown).kind, 'maybe');
  assert.match(describeVariable(use('${region}'), ctx, 'flux-system/apps'), /From Secret `second`/);
  assert.match(describeVariable(use('${zone}'), ctx, 'flux-system/apps'), /no default/);
});
