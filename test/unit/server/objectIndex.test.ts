import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentStore } from '../../../server/src/documents/store';
import { ObjectIndex, splitApiVersion } from '../../../server/src/workspace/objectIndex';

test('indexes every object with apiVersion and kind, and reports which dependency keys changed', () => {
  const store = new DocumentStore();
  const index = new ObjectIndex();
  const events: string[][] = [];
  store.onDidChange((c) => index.apply(c));
  index.onDidChange((keys) => events.push([...keys].sort()));
  store.openDocument('u', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: a, namespace: ns}\n---\nkind: NoApiVersion\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n', 1);
  assert.deepEqual(events, [['kind:ConfigMap', 'kind:GitRepository', 'obj:ConfigMap//c', 'obj:GitRepository/ns/a']]);
  const [repo] = index.find('GitRepository', 'a', 'ns');
  assert.deepEqual({ group: repo?.group, version: repo?.version, sectionIndex: repo?.sectionIndex, start: repo?.range.start }, { group: 'source.toolkit.fluxcd.io', version: 'v1', sectionIndex: 0, start: { line: 0, character: 0 } });
  assert.equal(index.byKind('ConfigMap', '').length, 1);
  assert.equal(index.byKind('ConfigMap', 'apps').length, 0);
  assert.equal(index.atSection('u', 2)?.name, 'c');

  events.length = 0;
  store.changeDocument('u', [{ range: { start: { line: 8, character: 17 }, end: { line: 8, character: 18 } }, text: 'd' }], 2);
  store.flush();
  assert.deepEqual(events, [['kind:ConfigMap', 'obj:ConfigMap//c', 'obj:ConfigMap//d']], 'only the edited object');
  assert.deepEqual(index.find('ConfigMap', 'd').map((o) => o.sectionIndex), [2]);
  events.length = 0;
  store.changeDocument('u', [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '# a comment in the section without apiVersion\n' }], 3);
  store.flush();
  assert.deepEqual(events, [], 'objects that only moved change no key');
  assert.equal(index.find('ConfigMap', 'd')[0]?.range.start.line, 6, 'its section (from its --- line) moved down one line');
  store.closeDocument('u');
  store.delete('u');
  assert.deepEqual(index.all(), []);
  assert.deepEqual(index.kinds(), []);
});

test('apiVersion splits into group and version (core group empty)', () => {
  assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
  assert.deepEqual(splitApiVersion('helm.toolkit.fluxcd.io/v2'), { group: 'helm.toolkit.fluxcd.io', version: 'v2' });
});
