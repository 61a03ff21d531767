// The hand-written Flux knowledge must match the real CRDs of every Flux release we have fixtures
// for, so it cannot drift: versions served, storage and deprecated; reference fields and their kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { FLUX_KINDS, REFERENCE_FIELDS, fluxKind, newestVersion, versionStatus, type FluxRelease } from '../../../server/src/schema/fluxKnowledge';
import { kindsFromCrd } from '../../../server/src/schema/crd';
import type { KindSchema, SchemaNode } from '../../../server/src/schema/types';
import { fluxCrds } from './helpers';

const RELEASES: Record<'v2.3' | 'v2.6' | 'v2.9', FluxRelease> = { 'v2.3': '2.3', 'v2.6': '2.6', 'v2.9': '2.9' };

function crdKinds(dir: string): KindSchema[] {
  return readdirSync(dir).flatMap((f) => kindsFromCrd(parse(readFileSync(path.join(dir, f), 'utf8')), 'paths', f));
}

for (const [folder, release] of Object.entries(RELEASES) as [keyof typeof RELEASES, FluxRelease][]) {
  test(`Flux ${release}: every CRD kind and version matches the knowledge, and nothing is missing`, () => {
    const kinds = crdKinds(fluxCrds(folder));
    const fromCrds = new Set(kinds.map((k) => `${k.group}/${k.kind}`));
    for (const key of fromCrds) {
      const [group, kind] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
      const known = fluxKind(group, kind)?.releases[release];
      assert.ok(known, `${key} is missing from the knowledge for ${release}`);
      const actual = kinds
        .filter((k) => k.group === group && k.kind === kind)
        .map((k) => ({ name: k.version, storage: k.storage, deprecated: k.deprecated }))
        .sort((a, b) => a.name.localeCompare(b.name));
      assert.deepEqual(actual, [...known].sort((a, b) => a.name.localeCompare(b.name)), `${key} in ${release}`);
    }
    // Kinds the knowledge gives to this release must have a CRD here (ArtifactGenerator has none in the fixtures).
    for (const k of FLUX_KINDS) {
      if (k.releases[release] && k.kind !== 'ArtifactGenerator') assert.ok(fromCrds.has(`${k.group}/${k.kind}`), `${k.kind} has no CRD in ${release}`);
    }
  });
}

test('reference fields exist in the newest CRDs and their kind enums equal the allowed kinds', () => {
  const kinds = crdKinds(fluxCrds('v2.9'));
  for (const ref of REFERENCE_FIELDS) {
    const owner = kinds.find((k) => k.kind === ref.owner && k.storage);
    assert.ok(owner?.schema, `${ref.owner} has a v2.9 CRD`);
    let node: SchemaNode | undefined = owner.schema;
    for (const segment of ref.path.split('.')) {
      const array = segment.endsWith('[]');
      node = node?.properties?.[array ? segment.slice(0, -2) : segment];
      if (array) {
        assert.equal(node?.type, 'array', `${ref.owner} ${ref.path}: ${segment} is a list`);
        node = node?.items;
      }
    }
    assert.ok(node?.properties?.name, `${ref.owner} ${ref.path} has a name`);
    const kindEnum = node.properties.kind?.enum;
    if (ref.kindField) assert.deepEqual([...(kindEnum ?? [])].sort(), [...ref.kinds].sort(), `${ref.owner} ${ref.path} kinds`);
    else assert.equal(kindEnum, undefined, `${ref.owner} ${ref.path} has no kind field`);
    assert.equal(!!node.properties.namespace, ref.crossNamespace, `${ref.owner} ${ref.path} namespace field`);
  }
});

test('version status: served, deprecated and removed per release', () => {
  const helmRelease = fluxKind('helm.toolkit.fluxcd.io', 'HelmRelease')!;
  assert.equal(newestVersion(helmRelease), 'v2');
  const beta = versionStatus(helmRelease, 'v2beta1');
  assert.deepEqual(beta.servedIn, ['2.3', '2.6']);
  assert.equal(beta.lastServed, '2.6');
  assert.equal(beta.servedInLatest, false);
  assert.deepEqual(versionStatus(helmRelease, 'v3').servedIn, []);
  assert.equal(newestVersion(fluxKind('image.toolkit.fluxcd.io', 'ImagePolicy')!), 'v1');
});
