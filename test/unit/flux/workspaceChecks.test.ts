// Checks that need the workspace beyond one file: markers against automations and policies,
// substitution only where a Kustomization with postBuild applies, plain Secrets only where SOPS is expected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixesOf } from '../../../server/src/features/quickFix';
import { fluxCodes, fluxWorkspace } from './workspace';

const automation = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: auto
  namespace: auto
spec:
  sourceRef:
    kind: GitRepository
    name: flux-system
  update:
    path: ./apps
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: p
  namespace: auto
spec:
  imageRepositoryRef:
    name: p
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: q
  namespace: other
spec:
  imageRepositoryRef:
    name: q
  digestReflectionPolicy: Always
`;

const kustomization = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: subst
  namespace: flux-system
spec:
  interval: 10m
  timeout: 1m
  retryInterval: 1m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./subst
  postBuild:
    substitute:
      a: "1"
`;

const files = {
  'clusters/automation.yaml': automation,
  'clusters/subst.yaml': kustomization,
  'apps/a.yaml': [
    'a: x:1 # {"$imagepolicy": "auto:p:digest"}',
    'b: y:1 # {"$imagepolicy": "other:q"}',
    'c: z:1 # {"$imagepolicy": "p"}',
    'd: w:1 # {"$imagepolicy": "other:q:digest"}',
    '',
  ].join('\n'),
  'outside/b.yaml': 'image: x:1 # {"$imagepolicy": "auto:p"}\nvalue: ${oops\n',
  'subst/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: ${a+b}\n  b: ${oops\n  c: ${a}\n',
  'plain/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n',
};

test('markers against automations: digest without reflection, foreign namespace, missing namespace with fix, outside update.path', async () => {
  const w = await fluxWorkspace(files);
  assert.deepEqual(fluxCodes(w.diagnostics('apps/a.yaml')), ['1:marker-digest-policy', '2:marker-namespace', '3:marker-missing-namespace', '4:marker-namespace']);
  const missing = w.diagnostics('apps/a.yaml').find((d) => d.code === 'marker-missing-namespace')!;
  assert.deepEqual(fixesOf(missing).map((f) => f.edits[0]!.newText), ['auto:p']);
  assert.deepEqual(fluxCodes(w.diagnostics('outside/b.yaml')), ['1:marker-outside-automation']);
});

test('substitution errors only in files a Kustomization with postBuild applies', async () => {
  const w = await fluxWorkspace(files);
  assert.deepEqual(fluxCodes(w.diagnostics('subst/cm.yaml')), ['6:subst-unsupported-operator', '7:subst-unbalanced']);
  assert.ok(!fluxCodes(w.diagnostics('outside/b.yaml')).some((c) => c.includes('subst-')));
});

test('a plain Secret nobody expects encrypted is not flagged', async () => {
  const w = await fluxWorkspace(files);
  assert.deepEqual(fluxCodes(w.diagnostics('plain/secret.yaml')), []);
});

test('no automation in the workspace: markers are not judged by update.path', async () => {
  const w = await fluxWorkspace({ 'outside/b.yaml': files['outside/b.yaml'] });
  assert.deepEqual(fluxCodes(w.diagnostics('outside/b.yaml')), ['1:marker-policy-missing']);
});

test('patch files are substituted too: their ${...} are checked and exempt from schema errors', async () => {
  const w = await fluxWorkspace({
    ...files,
    'clusters/subst.yaml': kustomization.replace('path: ./subst', 'path: ./patched'),
    'patched/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deploy.yaml\npatches:\n  - path: patch.yaml\n',
    'patched/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  selector:\n    matchLabels:\n      app: d\n  template:\n    metadata:\n      labels:\n        app: d\n    spec:\n      containers: []\n',
    'patched/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${a}\n  paused: ${a+b}\n',
  });
  assert.equal(w.model.mayBeSubstituted(w.uri('patched/patch.yaml')), true);
  const diagnostics = w.diagnostics('patched/patch.yaml');
  assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`), ['7:subst-unsupported-operator']);
});

test('a policySelector that does not select the policy makes the marker ignored', async () => {
  const selective = automation.replace('  update:\n    path: ./apps', '  update:\n    path: ./apps\n  policySelector:\n    matchLabels:\n      automate: "true"');
  const w = await fluxWorkspace({ ...files, 'clusters/automation.yaml': selective });
  assert.ok(fluxCodes(w.diagnostics('apps/a.yaml')).includes('1:marker-policy-selector'));
  const labelled = selective.replace('  name: p\n  namespace: auto', '  name: p\n  namespace: auto\n  labels:\n    automate: "true"');
  const w2 = await fluxWorkspace({ ...files, 'clusters/automation.yaml': labelled });
  assert.ok(!fluxCodes(w2.diagnostics('apps/a.yaml')).includes('1:marker-policy-selector'));
});
