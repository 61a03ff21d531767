import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const grammar = JSON.parse(readFileSync(path.join(root, 'syntaxes/flux-injection.tmLanguage.json'), 'utf8')) as {
  scopeName: string;
  injectionSelector: string;
  repository: Record<string, { match: string }>;
};

/** TextMate uses Oniguruma; these patterns stay within the syntax JavaScript's `u` mode shares with it. */
function rule(name: string): RegExp {
  return new RegExp(grammar.repository[name]!.match, 'u');
}

test('the grammar is injected into YAML and contributed by package.json', () => {
  assert.equal(grammar.injectionSelector, 'L:source.yaml');
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    contributes: { grammars?: { scopeName: string; path: string; injectTo?: string[] }[] };
  };
  const entry = pkg.contributes.grammars?.find((g) => g.scopeName === grammar.scopeName);
  assert.ok(entry, 'package.json contributes the grammar');
  assert.deepEqual(entry.injectTo, ['source.yaml']);
  assert.equal(path.normalize(entry.path), path.normalize('./syntaxes/flux-injection.tmLanguage.json'));
});

test('every rule compiles', () => {
  for (const name of Object.keys(grammar.repository)) assert.doesNotThrow(() => rule(name), name);
});

test('image policy markers', () => {
  const m = rule('imagepolicy-marker').exec('    image: ghcr.io/org/app:1.0 # {"$imagepolicy": "flux-system:app:tag"}');
  assert.equal(m?.[6], 'flux-system:app:tag');
  assert.equal(rule('imagepolicy-marker').exec("image: x # {'$imagepolicy': 'a:b'}"), null);
  assert.equal(rule('imagepolicy-marker').exec('image: x # {"$ImagePolicy": "a:b"}'), null);
});

test('substitutions and their escape', () => {
  assert.equal(rule('substitution').exec('name: app-${cluster_env:=dev}')?.[3], 'cluster_env');
  assert.equal(rule('substitution').exec('len: ${#var}')?.[2], '#');
  assert.equal(rule('substitution').exec('cost: $5 and $var'), null);
  assert.equal(rule('substitution-escape').exec('literal: $${var}')?.[0], '$${var}');
});

test('SOPS encrypted values', () => {
  const value = 'password: ENC[AES256_GCM,data:Tr7o=,iv:1=,tag:2==,type:str]';
  assert.ok(rule('sops-value').test(value));
  assert.equal(rule('sops-value').test('password: ENC[not sops]'), false);
});
