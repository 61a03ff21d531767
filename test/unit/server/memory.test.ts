// A long editing session must not pin old versions of the file: sections reused across edits
// hold their own copy of their text, not a slice of the file text of the day they were parsed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DocumentStore } from '../../../server/src/documents/store';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

test('editing each of 500 sections once keeps memory near one copy of the file', () => {
  const store = new DocumentStore();
  const section = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  key: "${'x'.repeat(400)}"\n`;
  const text = Array.from({ length: 500 }, (_, i) => section(i)).join('---\n');
  store.openDocument('u', text, 1);
  gc();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < 500; i++) {
    const line = store.get('u')!.text.split('\n').indexOf(`  name: c${i}`);
    store.changeDocument('u', [{ range: { start: { line, character: 9 }, end: { line, character: 9 } }, text: 'x' }], i + 2);
  }
  gc();
  const grown = process.memoryUsage().heapUsed - before;
  // Pinning one old file text (about 230 KB, twice that in UTF-16) per edit would grow by about 100 MB.
  assert.ok(grown < 30 * 2 ** 20, `heap grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
  assert.equal(store.get('u')!.sections.length, 500);
});
