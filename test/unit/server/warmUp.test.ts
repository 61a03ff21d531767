import test from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../../server/src/engine';
import { warmUpSteps } from '../../../server/src/lsp/warmUp';
import { memoryFileSystem } from '../../support/memoryFileSystem';
import { engineWithCrds } from './helpers';

/** Creates the warm-up's throwaway engine as the server does, and keeps it in `created`. */
function recordingFactory(created: Engine[]): () => Engine {
  return () => {
    const engine = new Engine({ fs: memoryFileSystem({}) });
    created.push(engine);
    return engine;
  };
}

test('the warm-up is many small steps, with the host features installed once in a throwaway engine', () => {
  const installed: Engine[] = [];
  let steps = 0;
  for (const _ of warmUpSteps(recordingFactory(installed), () => [])) steps++;
  // A host yields to its event loop between steps: a message never waits for the whole warm-up.
  assert.ok(steps >= 10, `only ${steps} steps`);
  assert.equal(installed.length, 1);
  // Each step replaces the previous text: the throwaway engine ends with one small document.
  assert.deepEqual(installed[0]!.documents.uris(), ['untitled:warm-up.yaml']);
});

test('CRDs loaded while the warm-up runs are used by its later steps, and the real engine gains nothing', async () => {
  const real = await engineWithCrds('v2.9');
  const crds: unknown[] = [];
  const installed: Engine[] = [];
  const steps = warmUpSteps(recordingFactory(installed), () => crds);
  steps.next();
  const throwaway = installed[0]!;
  assert.equal(throwaway.schemas.versions('kustomize.toolkit.fluxcd.io', 'Kustomization').length, 0);
  // The CRD paths are read only now (the warm-up starts before the server reads them).
  crds.push(...real.schemas.seenCrds());
  steps.next();
  assert.ok(throwaway.schemas.versions('kustomize.toolkit.fluxcd.io', 'Kustomization').length > 0);
  for (const _ of steps);
  assert.deepEqual(real.documents.uris(), []);
  assert.deepEqual(real.index.all(), []);
});
