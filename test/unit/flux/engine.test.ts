// The Flux features through the headless Engine, on an in-memory repository with seeded mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MarkupContent, Position } from 'vscode-languageserver';
import { fluxDefinition, fluxReferences } from '../../../server/src/features/flux/navigation';
import { fixesOf } from '../../../server/src/features/quickFix';
import { kustomizationPathLinks } from '../../../server/src/features/flux/kustomizationPath';
import { ENCRYPT_FILE_COMMAND } from '../../../server/src/features/flux/secrets';
import { fluxCodes, fluxWorkspace, type FluxWorkspace } from './workspace';
import { REPO } from '../../support/fluxRepo';

function positionOf(text: string, needle: string, delta = 0): Position {
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not found`);
  const before = text.slice(0, offset + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** 0-based line of the first occurrence of `needle` (after `after`, when given). */
function lineOf(file: string, needle: string, after = ''): number {
  const text = REPO[file]!;
  return positionOf(text.slice(text.indexOf(after)), needle).line + positionOf(text, after || text.slice(0, 1)).line;
}

function at(ws: FluxWorkspace, file: string, needle: string, delta = 0) {
  const ctx = ws.engine.positionContext(ws.uri(file), positionOf(REPO[file]!, needle, delta));
  assert.ok(ctx);
  return ctx;
}

function hoverText(ws: FluxWorkspace, file: string, needle: string, delta = 0): string {
  const hover = ws.engine.hover(ws.uri(file), positionOf(REPO[file]!, needle, delta));
  return hover ? (hover.contents as MarkupContent).value : '';
}

const ws = fluxWorkspace(REPO);

test('references: cycle on each edge, bootstrap objects as information, kind errors, missing targets', async () => {
  const w = await ws;
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/apps.yaml')).filter((c) => !c.includes('hint-')), [
    '11:flux-dependency-cycle', '14:flux-reference-external', '20:subst-variable-name', '35:flux-dependency-cycle',
    '38:flux-reference-external', '53:flux-reference-external', '54:flux-path-missing', '66:flux-reference-external', '72:flux-reference-external',
  ]);
  const cycle = w.diagnostics('clusters/prod/apps.yaml').find((d) => d.code === 'flux-dependency-cycle')!;
  assert.equal(cycle.message, 'dependsOn cycle: flux-system/apps → flux-system/infra → flux-system/apps');
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/extra.yaml')), ['11:flux-reference-kind']);
  assert.deepEqual(fluxCodes(w.diagnostics('infra/release.yaml')), ['11:semver-range-invalid', '14:flux-reference-missing']);
  const missing = w.diagnostics('infra/release.yaml').find((d) => d.code === 'flux-reference-missing')!;
  assert.equal(missing.message, 'HelmRepository podinfo/podinfo is not in the workspace');
});

test('kustomize trees: missing resources and folders without kustomization.yaml', async () => {
  const w = await ws;
  assert.deepEqual(fluxCodes(w.diagnostics('apps/prod/kustomization.yaml')), ['6:kustomize-resource-missing', '7:kustomize-resource-missing']);
});

test('post-build substitution: undefined variables, escapes of disabled objects, no schema errors on ${...}', async () => {
  const w = await ws;
  const diagnostics = w.diagnostics('apps/prod/deploy.yaml');
  assert.deepEqual(fluxCodes(diagnostics), ['14:subst-undefined', '21:marker-above-key', '24:marker-policy-missing']);
  assert.deepEqual(diagnostics.filter((d) => d.severity === 1), [], 'no error: ${cluster_env} in a name is not a pattern error');
  assert.equal(w.model.mayBeSubstituted(w.uri('apps/prod/deploy.yaml')), true, 'applied by a Kustomization with postBuild');
  assert.equal(w.model.mayBeSubstituted(w.uri('infra/release.yaml')), false, 'applied only by Kustomizations without postBuild');
  assert.equal(w.model.mayBeSubstituted(w.uri('clusters/prod/vars.yaml')), true, 'no Kustomization of the workspace applies it: unknown');
});

test('secrets: plain text where SOPS is expected, encrypted without decryption', async () => {
  const w = await ws;
  assert.deepEqual(fluxCodes(w.diagnostics('secrets/plain.yaml')), ['6:secret-plaintext']);
  assert.match(String(w.diagnostics('secrets/plain.yaml')[0]!.message), /committed in plain text/);
  assert.deepEqual(fluxCodes(w.diagnostics('infra/sealed.yaml')), ['8:sops-decryption-missing']);
  const [diagnostic] = w.diagnostics('secrets/plain.yaml');
  const actions = w.engine.codeActions(w.uri('secrets/plain.yaml'), diagnostic!.range, [diagnostic!]);
  const encrypt = actions.find((a) => a.command?.command === ENCRYPT_FILE_COMMAND);
  assert.deepEqual(encrypt?.command?.arguments, [w.uri('secrets/plain.yaml')]);
});

test('hints: timeouts, prune on CRDs, short source intervals; switchable by setting', async () => {
  const w = await fluxWorkspace(REPO);
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/apps.yaml')).filter((c) => c.includes('hint-')), ['40:hint-prune-crds', '62:hint-kustomization-timeouts']);
  assert.deepEqual(fluxCodes(w.diagnostics('infra/images.yaml')), ['8:hint-source-interval', '31:flux-reference-external']);
  await w.engine.updateSettings({ hints: { 'prune-crds': false, 'source-interval': false } });
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/apps.yaml')).filter((c) => c.includes('hint-')), ['62:hint-kustomization-timeouts']);
  assert.deepEqual(fluxCodes(w.diagnostics('infra/images.yaml')), ['31:flux-reference-external']);
});

test('a fix in one file updates the diagnostics of another (model invalidation)', async () => {
  const w = await fluxWorkspace(REPO);
  assert.ok(fluxCodes(w.diagnostics('infra/release.yaml')).includes('14:flux-reference-missing'));
  const repository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  interval: 5m\n  url: https://stefanprodan.github.io/podinfo\n';
  w.engine.openDocument(w.uri('infra/repository.yaml'), repository, 1);
  assert.ok(!fluxCodes(w.diagnostics('infra/release.yaml')).includes('14:flux-reference-missing'));
  // Breaking the cycle clears both cycle errors.
  const text = REPO['clusters/prod/apps.yaml']!.replace('    - name: apps\n', '    - name: secrets\n');
  w.engine.openDocument(w.uri('clusters/prod/apps.yaml'), text, 1);
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/apps.yaml')).filter((c) => c.includes('cycle')), []);
});

test('.sops.yaml is validated', async () => {
  const w = await fluxWorkspace({ '.sops.yaml': 'creation_rules:\n  - path_regex: (?=x)\n    age: age1nope\n' });
  assert.deepEqual(fluxCodes(w.diagnostics('.sops.yaml')), ['2:sops-config-regex', '3:sops-config-recipient']);
});

test('completion of reference names, namespace-aware', async () => {
  const w = await ws;
  const items = w.engine.completion(w.uri('clusters/prod/apps.yaml'), positionOf(REPO['clusters/prod/apps.yaml']!, '- name: infra', 8));
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('infra') && labels.includes('ghost') && labels.includes('secrets'), labels.join());
  assert.ok(!labels.includes('podinfo'), 'only Kustomizations for a Kustomization dependsOn');
  const cross = w.engine.completion(w.uri('infra/release.yaml'), positionOf(REPO['infra/release.yaml']!, 'name: podinfo\n  install', 6));
  assert.deepEqual(cross.map((i) => i.label), [], 'no HelmRepository anywhere');
  const images = w.engine.completion(w.uri('infra/images.yaml'), positionOf(REPO['infra/images.yaml']!, 'name: app\n  policy', 6));
  assert.deepEqual(images.filter((i) => i.detail?.startsWith('ImageRepository')).map((i) => i.label), ['app']);
});

test('completion right after `name:` adds the separating space', async () => {
  const text = REPO['clusters/prod/apps.yaml']!.replace('    - name: infra\n', '    - name:\n');
  const w = await fluxWorkspace({ ...REPO, 'clusters/prod/apps.yaml': text });
  const items = w.engine.completion(w.uri('clusters/prod/apps.yaml'), positionOf(text, '- name:\n', 7));
  assert.equal(items.find((i) => i.label === 'infra')?.insertText, ' infra');
});

test('completion in another namespace adds the namespace line', async () => {
  const w = await fluxWorkspace({
    ...REPO,
    'infra/repo.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  url: https://example.com\n',
  });
  const items = w.engine.completion(w.uri('infra/release.yaml'), positionOf(REPO['infra/release.yaml']!, 'name: podinfo\n  install', 6));
  const item = items.find((i) => i.label === 'flux-system/charts');
  assert.ok(item, items.map((i) => i.label).join());
  assert.equal(item.insertText, 'charts');
  assert.equal(item.additionalTextEdits?.[0]?.newText, '\n        namespace: flux-system');
});

test('completion inside a marker: policies, then suffixes', async () => {
  const w = await ws;
  const text = REPO['apps/prod/deploy.yaml']!;
  const policies = w.engine.completion(w.uri('apps/prod/deploy.yaml'), positionOf(text, 'flux-system:gone', 0));
  assert.deepEqual(policies.map((i) => i.label), ['flux-system:app']);
  const suffixes = w.engine.completion(w.uri('apps/prod/deploy.yaml'), positionOf(text, 'flux-system:app"}\n        - name: sidecar', 15));
  assert.deepEqual(suffixes.map((i) => i.label), ['flux-system:app:tag', 'flux-system:app:name', 'flux-system:app:digest']);
});

test('completion of spec.path folders', async () => {
  const w = await ws;
  const items = w.engine.completion(w.uri('clusters/prod/apps.yaml'), positionOf(REPO['clusters/prod/apps.yaml']!, './apps/prod', 2));
  const labels = items.map((i) => i.label);
  for (const folder of ['./apps', './apps/prod', './infra', './clusters/prod', './secrets']) assert.ok(labels.includes(folder), folder);
});

test('hover: reference target, semver range, variable origin, marker policy with live status', async () => {
  const w = await ws;
  assert.match(hoverText(w, 'clusters/prod/apps.yaml', '- name: infra', 9), /\*\*Kustomization\*\* `flux-system\/infra`[\s\S]*path: `\.\/infra`/);
  assert.match(hoverText(w, 'infra/images.yaml', '>=1.0.0 <2.0.0', 2), /at least 1\.0\.0 and less than 2\.0\.0/);
  assert.match(hoverText(w, 'clusters/prod/apps.yaml', './apps/prod', 3), /Folder `apps\/prod`: applies 1 file\n- `apps\/prod\/deploy.yaml` \(namespace apps\)/);
  assert.match(hoverText(w, 'clusters/prod/apps.yaml', './nope', 3), /No such folder/);
  assert.match(hoverText(w, 'apps/prod/deploy.yaml', '${region}', 3), /From ConfigMap `cluster-vars`/);
  assert.match(hoverText(w, 'apps/prod/deploy.yaml', '${cluster_env}', 3), /Set inline[\s\S]*`prod`/);
  assert.match(hoverText(w, 'apps/prod/deploy.yaml', '# {"$imagepolicy": "flux-system:app"}', 5), /\*\*ImagePolicy\*\* `flux-system\/app`[\s\S]*range: `>=1\.0\.0 <2\.0\.0`[\s\S]*\*\*ImageRepository\*\*[\s\S]*not known/);
  w.model.setLivePolicies('kind-dev', [{ namespace: 'flux-system', name: 'app', latestRef: { name: 'ghcr.io/org/app', tag: '1.4.2' } }]);
  assert.match(hoverText(w, 'apps/prod/deploy.yaml', '# {"$imagepolicy": "flux-system:app"}', 5), /kind-dev\): latest `ghcr\.io\/org\/app:1\.4\.2`/);
});

test('definition and references across files', async () => {
  const w = await ws;
  const defs = fluxDefinition(at(w, 'clusters/prod/apps.yaml', '- name: infra', 9), w.model);
  assert.deepEqual(defs.map((d) => [d.uri, d.range.start.line]), [[w.uri('clusters/prod/apps.yaml'), lineOf('clusters/prod/apps.yaml', '  name: infra')]]);
  const policy = fluxDefinition(at(w, 'apps/prod/deploy.yaml', '# {"$imagepolicy": "flux-system:app"}', 5), w.model);
  const policyLine = lineOf('infra/images.yaml', '  name: app', 'kind: ImagePolicy');
  assert.deepEqual(policy.map((d) => [d.uri, d.range.start.line]), [[w.uri('infra/images.yaml'), policyLine]]);
  const variable = fluxDefinition(at(w, 'apps/prod/deploy.yaml', '${cluster_env}', 3), w.model);
  assert.deepEqual(variable.map((d) => [d.uri, d.range.start.line]), [[w.uri('clusters/prod/apps.yaml'), lineOf('clusters/prod/apps.yaml', 'cluster_env: prod')]]);
  const refs = fluxReferences(at(w, 'infra/images.yaml', 'name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef', 6), w.model, true);
  // The declaration and the marker the controller reads (not the one above `image:`, which it ignores).
  const deploy = 'apps/prod/deploy.yaml';
  assert.deepEqual(refs.map((r) => `${r.uri.split('/repo/')[1]}:${r.range.start.line}`).sort(), [
    `${deploy}:${lineOf(deploy, '# {"$imagepolicy": "flux-system:app"}')}`,
    `infra/images.yaml:${policyLine}`,
  ].sort());
  const repoRefs = fluxReferences(at(w, 'infra/images.yaml', 'name: app', 6), w.model, false);
  assert.deepEqual(repoRefs.map((r) => `${r.uri.split('/repo/')[1]}:${r.range.start.line}`), [`infra/images.yaml:${lineOf('infra/images.yaml', '    name: app')}`]);
});

test('document links from spec.path to the kustomization file', async () => {
  const w = await ws;
  const file = w.engine.documents.get(w.uri('clusters/prod/apps.yaml'))!;
  const links = kustomizationPathLinks(file, w.model);
  const apps = 'clusters/prod/apps.yaml';
  assert.deepEqual(links.map((l) => [l.range.start.line, l.target?.split('/repo/')[1]]), [
    [lineOf(apps, './apps/prod'), 'apps/prod/kustomization.yaml'],
    [lineOf(apps, './infra'), 'infra'],
    [lineOf(apps, './secrets'), 'secrets'],
  ]);
});

test('a disallowed reference kind is left to the CRD enum check once the CRD is known', async () => {
  const crd = readFileSync(path.resolve(__dirname, '../../..', '../shared/fixtures/flux-crds/v2.9/kustomize.toolkit.fluxcd.io_kustomizations.yaml'), 'utf8');
  const w = await fluxWorkspace({ ...REPO, 'crds/kustomizations.yaml': crd });
  const codes = w.diagnostics('clusters/prod/extra.yaml').map((d) => `${d.range.start.line + 1}:${String(d.code)}`);
  assert.ok(codes.includes('11:invalid-enum'), codes.join());
  assert.ok(!codes.includes('11:flux-reference-kind'), codes.join());
});

test('hints leave the files flux bootstrap writes alone', async () => {
  const sync = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./clusters/prod\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n';
  const w = await fluxWorkspace({ 'clusters/prod/flux-system/gotk-sync.yaml': sync, 'clusters/prod/flux-system/copy.yaml': sync.replace('name: flux-system\n  namespace', 'name: copy\n  namespace') });
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/flux-system/gotk-sync.yaml')).filter((c) => c.includes('hint-')), []);
  assert.deepEqual(fluxCodes(w.diagnostics('clusters/prod/flux-system/copy.yaml')).filter((c) => c.includes('hint-')), ['6:hint-kustomization-timeouts']);
});

test('the model follows the editor: reopening unchanged text, and sections moved by an edit above them', async () => {
  const w = await fluxWorkspace(REPO);
  const file = 'clusters/prod/apps.yaml';
  assert.ok(w.model.references.length > 0);
  // The editor opens the file with the text on disk: the index re-creates its entries.
  w.engine.openDocument(w.uri(file), REPO[file]!, 1);
  const labels = w.engine.completion(w.uri(file), positionOf(REPO[file]!, '- name: infra', 8)).map((i) => i.label);
  assert.ok(labels.includes('infra'), labels.join());
  // A ConfigMap inserted above moves every Kustomization down by its six lines.
  const moved = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\ndata: {}\n---\n${REPO[file]!}`;
  w.engine.openDocument(w.uri(file), moved, 2);
  const ctx = w.engine.positionContext(w.uri(file), positionOf(moved, '- name: infra', 9));
  assert.ok(ctx);
  assert.deepEqual(fluxDefinition(ctx, w.model).map((d) => d.range.start.line), [positionOf(moved, '  name: infra').line]);
});

test('an edit invalidates only the model facets whose facts changed', async () => {
  const w = await fluxWorkspace(REPO);
  const file = 'clusters/prod/apps.yaml';
  w.diagnostics(file);
  const spy: string[][] = [];
  const changedFacets = w.model.changedFacets.bind(w.model);
  w.model.changedFacets = () => {
    const changed = changedFacets();
    spy.push(changed);
    return changed;
  };
  // A new interval changes no cross-file fact.
  w.engine.openDocument(w.uri(file), REPO[file]!.replace('interval: 10m', 'interval: 20m'), 1);
  assert.deepEqual(spy.at(-1), []);
  // Renaming a dependency target changes references (the cycle goes) and nothing else.
  w.engine.openDocument(w.uri(file), REPO[file]!.replace('    - name: apps\n', '    - name: nothing\n'), 2);
  assert.deepEqual(spy.at(-1), ['references']);
  assert.deepEqual(fluxCodes(w.diagnostics(file)).filter((c) => c.includes('cycle')), []);
  // A new postBuild variable changes what substitution sees.
  w.engine.openDocument(w.uri(file), REPO[file]!.replace('cluster_env: prod', 'cluster_env: prod\n      zone: eu'), 3);
  assert.ok(spy.at(-1)!.includes('applied'), spy.at(-1)!.join());
  assert.ok(!fluxCodes(w.diagnostics('apps/prod/deploy.yaml')).includes('14:subst-undefined'));
});

test('a missing reference suggests a close name or the namespace where the name is', async () => {
  const release = REPO['infra/release.yaml']!.replace('        kind: HelmRepository\n        name: podinfo', '        kind: HelmRepository\n        name: podinf\n        namespace: podinfo');
  const repository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: podinfo\nspec:\n  url: https://example.com\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: podinf\n  namespace: charts\nspec:\n  url: https://example.com\n';
  const w = await fluxWorkspace({ ...REPO, 'infra/release.yaml': release, 'infra/repository.yaml': repository });
  const missing = w.diagnostics('infra/release.yaml').find((d) => d.code === 'flux-reference-missing')!;
  assert.deepEqual(fixesOf(missing).map((f) => [f.title, f.edits[0]!.newText]), [['Change to "podinfo"', 'podinfo'], ['Use namespace "charts"', 'charts']]);
});
