import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSections } from '../../../server/src/documents/split';
import { LineIndex } from '../../../server/src/documents/lineIndex';
import { YamlFile } from '../../../server/src/documents/yamlFile';
import { DocumentStore } from '../../../server/src/documents/store';
import { locate, nodeAtPath, pathOf, rootString, metadataString } from '../../../server/src/documents/nodes';

test('splits at --- lines only, keeping the marker in its section', () => {
  const text = 'a: 1\n---\nb: 2\n--- # comment\nc: "---"\n  ---x\n---\n';
  const slices = splitSections(text).map((s) => text.slice(s.start, s.end));
  assert.deepEqual(slices, ['a: 1\n', '---\nb: 2\n', '--- # comment\nc: "---"\n  ---x\n', '---\n']);
  assert.deepEqual(splitSections(''), [{ start: 0, end: 0 }]);
  assert.deepEqual(splitSections('---\na: 1').length, 1, 'a leading marker does not make an empty first section');
});

test('line index converts offsets and positions both ways, CRLF included', () => {
  const index = new LineIndex('ab\r\ncd\n\nef');
  assert.equal(index.lineCount, 4);
  assert.deepEqual(index.positionAt(5), { line: 1, character: 1 });
  assert.equal(index.offsetAt({ line: 3, character: 1 }), 9);
  assert.equal(index.lineText(0), 'ab');
  assert.equal(index.offsetAt({ line: 0, character: 99 }), 2, 'clamped before the line break');
  assert.equal(index.offsetAt({ line: 99, character: 0 }), 10, 'past the end: the text length');
  // A parser error range ending one past `ab` ends between \r and \n: the editor sees the end of line 0.
  assert.deepEqual(index.positionAt(3), { line: 0, character: 2 });
});

test('sections are parsed on their own with section-relative offsets', () => {
  const file = YamlFile.parse('u', 'kind: A\n---\nkind: B\nmetadata:\n  name: b\n');
  assert.equal(file.sections.length, 2);
  const second = file.sections[1]!;
  assert.equal(second.start, 8);
  assert.equal(rootString(second.doc, 'kind'), 'B');
  assert.equal(metadataString(second.doc, 'name'), 'b');
  const offset = second.text.indexOf('b\n', 20);
  const loc = locate(second.doc, offset);
  assert.deepEqual(loc.path, ['metadata', 'name']);
  assert.equal(loc.onKey, false);
  assert.deepEqual(file.range(second, offset, offset + 1).start, { line: 4, character: 8 });
  assert.ok(nodeAtPath(second.doc, ['metadata']));
  assert.equal(file.sectionAt(9)?.index, 1);
});

test('a change re-parses only the sections whose text changed and shifts the others', () => {
  const store = new DocumentStore();
  const text = 'kind: A\n---\nkind: B\n---\nkind: C\n';
  const opened = store.openDocument('u', text, 1);
  assert.deepEqual(opened.changedSections, [0, 1, 2]);
  const before = store.get('u')!.sections;
  store.changeDocument('u', [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } }, text: 'AAAA\nx: 1' }], 2);
  const [change] = store.flush();
  assert.deepEqual(change?.changedSections, [0]);
  assert.deepEqual(change?.removedSectionIds, [before[0]!.id]);
  const after = store.get('u')!.sections;
  assert.equal(after[1]!.id, before[1]!.id, 'unchanged section keeps its parse');
  assert.equal(after[1]!.doc, before[1]!.doc);
  assert.equal(after[1]!.start, before[1]!.start + 8);
  assert.equal(after[2]!.doc, before[2]!.doc);
  assert.equal(store.get('u')!.text, 'kind: AAAA\nx: 1\n---\nkind: B\n---\nkind: C\n');
});

test('identical sections are reused one for one, and the editor text wins over the disk', () => {
  const store = new DocumentStore();
  store.setFromDisk('u', 'a: 1\n---\na: 1\n');
  assert.equal(store.setFromDisk('u', 'a: 1\n---\na: 1\n'), undefined, 'same text: nothing to do');
  const change = store.setFromDisk('u', 'a: 1\n---\na: 1\n---\na: 1\n')!;
  assert.deepEqual(change.changedSections, [2]);
  store.openDocument('u', 'b: 2\n', 1);
  assert.equal(store.setFromDisk('u', 'c: 3\n'), undefined);
  assert.equal(store.get('u')!.text, 'b: 2\n');
  assert.equal(store.delete('u'), undefined, 'an open document is not deleted');
  store.closeDocument('u');
  assert.ok(store.delete('u'));
  assert.equal(store.get('u'), undefined);
});

test('pathOf finds the path of values, collections and keys', () => {
  const { doc, text } = YamlFile.parse('u', 'spec:\n  list:\n    - a: 1\n      b: [x, y]\n').sections[0]!;
  const b = nodeAtPath(doc, ['spec', 'list', 0, 'b'])!;
  assert.deepEqual(pathOf(doc, b), ['spec', 'list', 0, 'b']);
  assert.deepEqual(pathOf(doc, nodeAtPath(doc, ['spec', 'list'])!), ['spec', 'list']);
  assert.deepEqual(pathOf(doc, nodeAtPath(doc, ['spec', 'list', 0, 'b', 1])!), ['spec', 'list', 0, 'b', 1]);
  assert.deepEqual(pathOf(doc, doc.contents!), []);
  const key = locate(doc, text.indexOf('a:')).node!;
  assert.deepEqual(pathOf(doc, key), ['spec', 'list', 0, 'a']);
});
