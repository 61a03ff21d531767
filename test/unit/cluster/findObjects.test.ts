import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findObjects } from '../../../server/src/features/findObjects';
import type { IndexedObject } from '../../../server/src/workspace/objectIndex';

const range = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
function declared(uri: string, namespace: string | undefined, group = 'kustomize.toolkit.fluxcd.io'): IndexedObject {
  return { uri, sectionIndex: 0, sectionId: 1, apiVersion: `${group}/v1`, group, version: 'v1', kind: 'Kustomization', name: 'apps', namespace, range };
}
const index = (objects: IndexedObject[]) => ({ find: (kind: string, name: string) => objects.filter((o) => o.kind === kind && o.name === name) });

test('an exact namespace match wins over namespace-less declarations', () => {
  const found = findObjects(index([declared('file:///a.yaml', 'flux-system'), declared('file:///b.yaml', undefined)]), { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' });
  assert.deepEqual(found.map((l) => l.uri), ['file:///a.yaml']);
});

test('a declaration without a namespace matches an object the cluster places in one', () => {
  const found = findObjects(index([declared('file:///b.yaml', undefined), declared('file:///c.yaml', 'other')]), { kind: 'Kustomization', name: 'apps', namespace: 'flux-system' });
  assert.deepEqual(found.map((l) => l.uri), ['file:///b.yaml']);
});

test('the group filters kinds with the same name in other groups', () => {
  const found = findObjects(index([declared('file:///k.yaml', undefined, 'kustomize.config.k8s.io')]), { kind: 'Kustomization', name: 'apps', namespace: 'x', group: 'kustomize.toolkit.fluxcd.io' });
  assert.deepEqual(found, []);
});
