import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { WorkDoneProgressServerReporter } from 'vscode-languageserver';
import { Engine } from '../../../server/src/engine';
import { DEFAULT_SETTINGS } from '../../../server/src/settings';
import { withIndexProgress } from '../../../server/src/lsp/indexProgress';
import { memoryFileSystem } from '../../support/memoryFileSystem';

function recorder() {
  const events: string[] = [];
  const reporter = {
    begin: (title: string) => events.push(`begin ${title}`),
    report: (message: unknown) => events.push(`report ${String(message)}`),
    done: () => events.push('done'),
  } as unknown as WorkDoneProgressServerReporter;
  return { events, connection: { window: { createWorkDoneProgress: async () => reporter } } };
}

function engineWithFiles(count: number, maxFiles = DEFAULT_SETTINGS.scan.maxFiles): Engine {
  const files = Object.fromEntries(Array.from({ length: count }, (_, i) => [`/r/f${String(i).padStart(3, '0')}.yaml`, `a: ${i}\n`]));
  return new Engine({ fs: memoryFileSystem(files), settings: { ...DEFAULT_SETTINGS, scan: { ...DEFAULT_SETTINGS.scan, maxFiles } } });
}

test('a long scan reports files indexed, then ends; later changes report nothing', async () => {
  const { events, connection } = recorder();
  const engine = engineWithFiles(250);
  await withIndexProgress(connection, engine, () => engine.addWorkspaceFolder('/r'));
  engine.documents.setFromDisk('file:///r/late.yaml', 'a: 1\n');
  assert.deepEqual(events, ['begin Flux GitOps: indexing the workspace', 'report 100 files indexed', 'report 200 files indexed', 'done']);
});

test('each skipped file is counted in the progress as it happens', async () => {
  const { events, connection } = recorder();
  const engine = engineWithFiles(203, 201);
  await withIndexProgress(connection, engine, () => engine.addWorkspaceFolder('/r'));
  // The scan names the files it leaves out first, then reads the others.
  assert.deepEqual(events, [
    'begin Flux GitOps: indexing the workspace',
    'report 0 files indexed, 1 skipped (see the output log)',
    'report 0 files indexed, 2 skipped (see the output log)',
    'report 100 files indexed, 2 skipped (see the output log)',
    'report 200 files indexed, 2 skipped (see the output log)',
    'done',
  ]);
});

test('progress ends even when the scan fails, and a client without progress support is fine', async () => {
  const { events, connection } = recorder();
  await assert.rejects(withIndexProgress(connection, engineWithFiles(0), async () => { throw new Error('disk gone'); }), /disk gone/);
  assert.deepEqual(events.at(-1), 'done');
  const refusing = { window: { createWorkDoneProgress: () => Promise.reject(new Error('unsupported')) } };
  let ran = false;
  await withIndexProgress(refusing, engineWithFiles(0), async () => { ran = true; });
  assert.equal(ran, true);
});
