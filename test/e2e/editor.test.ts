// Flow 1 (issue 7): in real VS Code, the language server completes Kustomization spec fields and
// reference names, completes `$imagepolicy` markers, and a seeded mistake shows in the Problems
// panel with a quick fix that repairs it. The Flux CRDs come from the fluxGitops.crdPaths setting, as
// for a user whose repository has no CRDs of its own (the example's gotk-components.yaml are
// placeholders) and no cluster.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesRoot, fleetExample } from './support/paths';
import { startSession, type Session } from './support/session';

const IMAGE_AUTOMATION = `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: redis
  namespace: flux-system
spec:
  image: public.ecr.aws/docker/library/redis
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: redis
  namespace: flux-system
spec:
  imageRepositoryRef:
    name: redis
  policy:
    semver:
      range: ">=8.0.0"
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 30m
  sourceRef:
    kind: GitRepository
    name: flux-system
  git:
    checkout:
      ref:
        branch: main
    commit:
      author:
        name: fluxcdbot
        email: fluxcdbot@users.noreply.github.com
  update:
    path: ./apps
    strategy: Setters
`;

const APPS = 'clusters/production/apps.yaml';
const RELEASE = 'apps/base/podinfo/release.yaml';
const SEEDED = 'clusters/staging/apps.yaml';

/** 1-based number of the first line that equals `text`. */
function lineOf(source: string, text: string): number {
  const index = source.split('\n').indexOf(text);
  assert.notEqual(index, -1, `no line ${JSON.stringify(text)}`);
  return index + 1;
}

let session: Session;
before(async () => {
  session = await startSession({
    flow: 'editor',
    workspaceFrom: fleetExample,
    settings: {
      'fluxGitops.crdPaths': [join(fixturesRoot, 'flux-crds/v2.9')],
      // Typed quotes and braces stay as typed, so the test types exactly what ends up in the file.
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
    },
    async prepare(workspace) {
      await writeFile(join(workspace, 'clusters/production/image-automation.yaml'), IMAGE_AUTOMATION);
      // The seeded mistake: a misspelt field in the staging apps Kustomization.
      const seeded = join(workspace, SEEDED);
      const text = await readFile(seeded, 'utf8');
      assert.match(text, /^ {2}prune: true$/m);
      await writeFile(seeded, text.replace(/^ {2}prune: true$/m, '  prnue: true'));
    },
  });
});
afterEach(async (t) => {
  await session?.workbench.shotAfter(t.name);
});
after(async () => {
  await session?.close();
});

test('completion offers the names of Kustomizations in dependsOn', { timeout: 120_000 }, async () => {
  const { workbench, workspace } = session;
  const original = await readFile(join(workspace, APPS), 'utf8');
  await workbench.openFile(APPS);
  await workbench.newLineAfter(lineOf(original, '    - name: infra-configs'));
  await workbench.type('- name: ');
  const offered = await workbench.suggest('infra-controllers');
  await workbench.shot('dependsOn-completion');
  assert.ok(offered.includes('infra-configs'), `offered: ${offered.join(', ')}`);
  await workbench.accept('infra-controllers');
  await workbench.save();
  const saved = await readFile(join(workspace, APPS), 'utf8');
  assert.match(saved, /dependsOn:\n {4}- name: infra-configs\n {4}- name: infra-controllers\n {2}interval: 1h\n/);
});

test('completion offers Kustomization spec fields from the CRD', { timeout: 120_000 }, async () => {
  const { workbench, workspace } = session;
  const current = await readFile(join(workspace, APPS), 'utf8');
  await workbench.newLineAfter(lineOf(current, '  wait: true'));
  const offered = await workbench.suggest('postBuild');
  await workbench.shot('spec-field-completion');
  for (const field of ['decryption', 'suspend', 'healthChecks', 'targetNamespace']) {
    assert.ok(offered.includes(field), `${field} not offered; offered: ${offered.join(', ')}`);
  }
  await workbench.accept('suspend');
  await workbench.type('true');
  await workbench.save();
  const saved = await readFile(join(workspace, APPS), 'utf8');
  assert.match(saved, /\n {2}wait: true\n {2}suspend: true\n$/);
});

test('completion inside an $imagepolicy marker offers the workspace policies and their suffixes', { timeout: 120_000 }, async () => {
  const { workbench, workspace } = session;
  const original = await readFile(join(workspace, RELEASE), 'utf8');
  await workbench.openFile(RELEASE);
  await workbench.goTo(lineOf(original, '      tag: 8.6.2'), 1);
  await workbench.page.keyboard.press('End');
  await workbench.type(' # {"$imagepolicy": "');
  await workbench.suggest('flux-system:redis');
  await workbench.shot('imagepolicy-completion');
  await workbench.accept('flux-system:redis');
  await workbench.type(':');
  const suffixes = await workbench.suggest('flux-system:redis:tag');
  await workbench.shot('imagepolicy-suffix-completion');
  assert.deepEqual([...suffixes].sort(), ['flux-system:redis:digest', 'flux-system:redis:name', 'flux-system:redis:tag']);
  await workbench.accept('flux-system:redis:tag');
  await workbench.type('"}');
  await workbench.save();
  const saved = await readFile(join(workspace, RELEASE), 'utf8');
  assert.ok(saved.includes('      tag: 8.6.2 # {"$imagepolicy": "flux-system:redis:tag"}\n'), saved);
});

test('a seeded mistake shows in the Problems panel and its quick fix repairs it', { timeout: 120_000 }, async () => {
  const { workbench, workspace } = session;
  const seeded = await readFile(join(workspace, SEEDED), 'utf8');
  await workbench.openFile(SEEDED);
  const problemsPanel = workbench.page.locator('.markers-panel');
  await workbench.problems();
  await problemsPanel.locator('.monaco-list-row', { hasText: 'Unknown field "prnue"' }).waitFor();
  await workbench.shot('problems-panel');
  await workbench.goTo(lineOf(seeded, '  prnue: true'), 4);
  await workbench.quickFix('Rename to "prune"', () => workbench.shot('quick-fix-menu'));
  await workbench.save();
  await problemsPanel.locator('.monaco-list-row', { hasText: 'prnue' }).waitFor({ state: 'detached' });
  await workbench.shot('quick-fix-applied');
  const saved = await readFile(join(workspace, SEEDED), 'utf8');
  assert.equal(saved, seeded.replace('  prnue: true', '  prune: true'));
  const remaining = await workbench.problems();
  // Both problems the misspelling caused (unknown field, missing required field) are gone.
  assert.ok(!remaining.some((p) => /prune|prnue/.test(p)), remaining.join('\n'));
});
