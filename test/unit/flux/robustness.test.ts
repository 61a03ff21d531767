// The Flux features on hostile and mutated inputs (the shared fuzz corpus): every input opened as a
// workspace file (rotating through plain, kustomization.yaml and .sops.yaml names, so every Flux
// rule sees it), then diagnostics, completion, hover, definition and references at a few positions.
// A rule that throws makes the engine log, and the workspace's logger fails the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureInputs, hostileInputs, mutate, type FuzzInput } from '../../fuzz/corpus';
import { fluxDefinition, fluxReferences } from '../../../server/src/features/flux/navigation';
import { kustomizationPathLinks } from '../../../server/src/features/flux/kustomizationPath';
import { REPO } from '../../support/fluxRepo';
import { fluxWorkspace } from './workspace';

const NAMES = ['doc.yaml', 'kustomization.yaml', '.sops.yaml'];

test('Flux features survive the fuzz corpus (fixtures, their mutants, hostile inputs)', async () => {
  const w = await fluxWorkspace(REPO);
  // Mutants of every third fixture: the engine's own fuzz test covers them all.
  const fixtures = fixtureInputs();
  const inputs: FuzzInput[] = [...fixtures, ...fixtures.filter((_, i) => i % 3 === 0).flatMap((input, i) => mutate(input, 1, 1000 + i)), ...hostileInputs(7)];
  assert.ok(inputs.length > 100);
  // Each input is closed after its checks, so the workspace stays the seeded repository plus one file:
  // with every input kept open, each open rebuilt a model of all the earlier ones (minutes on 2,200 fixtures).
  for (const [i, input] of inputs.entries()) {
    const uri = w.uri(`fuzz/${i}/${NAMES[i % NAMES.length]}`);
    w.engine.openDocument(uri, input.text, 1);
    assert.ok(Array.isArray(w.engine.diagnostics(uri)), input.name);
    const file = w.engine.documents.get(uri)!;
    kustomizationPathLinks(file, w.model);
    const lines = file.lines.lineCount;
    for (const line of [0, lines >> 2, lines >> 1, lines - 1]) {
      const position = { line, character: Math.min(8, file.lines.lineText(line).length) };
      w.engine.completion(uri, position);
      w.engine.hover(uri, position);
      const ctx = w.engine.positionContext(uri, position);
      if (ctx) {
        fluxDefinition(ctx, w.model);
        fluxReferences(ctx, w.model, true);
      }
    }
    await w.engine.closeDocument(uri);
  }
  // The seeded repository still reads the same after all that.
  assert.ok(w.diagnostics('clusters/prod/apps.yaml').some((d) => d.code === 'flux-dependency-cycle'));
});

test('a Flux-group kind named after an Object.prototype member (constructor, toString) is checked, not thrown on', async () => {
  const w = await fluxWorkspace(REPO);
  for (const [i, kind] of ['constructor', 'toString', '__proto__', 'hasOwnProperty'].entries()) {
    for (const group of ['source.toolkit.fluxcd.io/v1', 'image.toolkit.fluxcd.io/v1beta2', 'helm.toolkit.fluxcd.io/v2']) {
      const uri = w.uri(`proto/${i}/${group.split('.')[0]}.yaml`);
      const text = `apiVersion: ${group}\nkind: ${kind}\nmetadata:\n  name: x\n  namespace: flux-system\nspec:\n  version: ">=1.0"\n`;
      w.engine.openDocument(uri, text, 1);
      assert.ok(Array.isArray(w.engine.diagnostics(uri)));
      for (let line = 0; line < 7; line++) w.engine.hover(uri, { line, character: 2 });
    }
  }
});
