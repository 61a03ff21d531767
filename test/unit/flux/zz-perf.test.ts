import { test } from 'node:test';
import { performance } from 'node:perf_hooks';
import { Engine } from '/work/main/server/src/engine';
import { installFlux } from '/work/main/server/src/features/flux/install';
import { memoryFileSystem } from '/work/main/test/support/memoryFileSystem';
test('perf', async () => {
  const fluxLines = Array.from({ length: 2_000 }, (_, i) =>
    `---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k${i}\n  namespace: flux-system\nspec:\n  interval: ${i}m\n  prune: ${i % 2 === 0}\n  path: ./k${i}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  timeout: ${i % 7 === 0 ? 'soon' : '5m'}\n  postBuild:\n    substitute:\n      n: "${i}"`,
  ).join('\n');
  for (const flux of [false, true, false, true]) {
    const engine = new Engine({ fs: memoryFileSystem({}) });
    if (flux) installFlux(engine);
    const t0 = performance.now();
    engine.openDocument('untitled:x.yaml', fluxLines, 1);
    const t1 = performance.now();
    const d = engine.diagnostics('untitled:x.yaml');
    const t2 = performance.now();
    console.log(flux ? 'flux   ' : 'no flux', 'open', Math.round(t1 - t0), 'diag', Math.round(t2 - t1), d.length);
  }
});
