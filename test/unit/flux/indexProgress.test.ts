import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { DocumentStore } from '../../../server/src/documents/store';
import { withIndexProgress } from '../../../server/src/features/flux/indexProgress';

function recorder() {
  const events: string[] = [];
  const reporter = {
    begin: (title: string) => events.push(`begin ${title}`),
    report: (message: unknown) => events.push(`report ${String(message)}`),
    done: () => events.push('done'),
  } as unknown as WorkDoneProgressServerReporter;
  return { events, connection: { window: { createWorkDoneProgress: async () => reporter } } };
}

test('a long scan reports files indexed, then ends; later changes report nothing', async () => {
  const { events, connection } = recorder();
  const documents = new DocumentStore();
  await withIndexProgress(connection, documents, async () => {
    for (let i = 0; i < 250; i++) documents.setFromDisk(`file:///r/f${i}.yaml`, `a: ${i}\n`);
  });
  documents.setFromDisk('file:///r/late.yaml', 'a: 1\n');
  assert.deepEqual(events, ['begin Flux GitOps: indexing the workspace', 'report 100 files indexed', 'report 200 files indexed', 'done']);
});

test('progress ends even when the scan fails, and a client without progress support is fine', async () => {
  const { events, connection } = recorder();
  await assert.rejects(withIndexProgress(connection, new DocumentStore(), async () => { throw new Error('disk gone'); }), /disk gone/);
  assert.deepEqual(events.at(-1), 'done');
  const refusing = { window: { createWorkDoneProgress: () => Promise.reject(new Error('unsupported')) } };
  let ran = false;
  await withIndexProgress(refusing, new DocumentStore(), async () => { ran = true; });
  assert.equal(ran, true);
});
