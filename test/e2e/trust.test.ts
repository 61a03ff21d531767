// Restricted Mode in real VS Code (code-server with workspace trust on): a workspace the user has not
// trusted opens with the extension active in limited mode. The editing features work; the kubeconfig,
// whose only cluster is a loopback listener that counts every connection, is not read and nothing
// connects; the Clusters view says why with a Manage Workspace Trust button; decryption refuses with
// the same button; the repository's `fluxGitops.crdPaths` (a CRD outside the workspace) is ignored while
// the user's applies.
// Granting trust in VS Code's Workspace Trust editor starts all of it without a reload.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { fleetExample } from './support/paths';
import { removeTempFolder, trackTempFolder } from './support/processes';
import { startSession, type Session } from './support/session';

const RESTRICTED_CLUSTER = 'Cluster features are disabled in Restricted Mode';
const RESTRICTED_DECRYPTION = 'SOPS decryption is disabled in Restricted Mode';

/** A CRD outside the workspace for `kind` (group example.com) whose spec.size is an integer. */
function sizedCrd(kind: string): string {
  const plural = `${kind.toLowerCase()}s`;
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: ${plural}.example.com
spec:
  group: example.com
  names: { kind: ${kind}, plural: ${plural}, singular: ${kind.toLowerCase()}, listKind: ${kind}List }
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: { type: integer }
`;
}

/**
 * A Widget (its CRD named by the repository's crdPaths), a Gadget (its CRD named by the user's) and a
 * ConfigMap whose mistake the shipped Kubernetes schemas find: that diagnostic shows the file was
 * validated, with or without the CRDs' ones.
 */
const OBJECTS = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: widget
spec:
  size: widget-size
---
apiVersion: example.com/v1
kind: Gadget
metadata:
  name: gadget
spec:
  size: gadget-size
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
dataa:
  key: value
`;

/** Waits (polling) until `holds`, failing with what was expected after `timeoutMs`. */
async function until(holds: () => Promise<boolean>, expected: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await holds())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${expected}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The extension's log files (one per extension host start) under code-server's user data. */
async function extensionLogs(): Promise<string[]> {
  const files = (await readdir(session.codeServer.root, { recursive: true })).filter((f) => f.endsWith('Flux GitOps.log'));
  return Promise.all(files.map((f) => readFile(join(session.codeServer.root, f), 'utf8')));
}

/** The Clusters view (its welcome content is outside the tree's rows). */
function clustersPane(page: Page): Locator {
  return page.locator('.pane').filter({ has: page.locator('.pane-header', { hasText: 'Clusters' }) });
}

let outside: string;
let kubeconfig: string;
let listener: Server;
let connections = 0;
let session: Session;

before(async () => {
  outside = trackTempFolder(await mkdtemp(join(tmpdir(), 'flux-gitops-e2e-trust-outside-')));
  listener = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  const port = (listener.address() as { port: number }).port;
  kubeconfig = join(outside, 'kubeconfig');
  await writeFile(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
  - name: trap
    cluster: { server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true }
users:
  - name: trap
    user: { token: not-a-token }
contexts:
  - name: trap
    context: { cluster: trap, user: trap }
current-context: trap
`,
  );
  const widgetCrd = join(outside, 'widget-crd.yaml');
  const gadgetCrd = join(outside, 'gadget-crd.yaml');
  await writeFile(widgetCrd, sizedCrd('Widget'));
  await writeFile(gadgetCrd, sizedCrd('Gadget'));
  session = await startSession({
    flow: 'trust',
    workspaceFrom: fleetExample,
    workspaceTrust: true,
    env: { KUBECONFIG: kubeconfig },
    settings: { 'fluxGitops.crdPaths': [gadgetCrd] },
    async prepare(workspace) {
      await mkdir(join(workspace, '.vscode'));
      await writeFile(join(workspace, '.vscode/settings.json'), JSON.stringify({ 'fluxGitops.crdPaths': [widgetCrd], 'fluxGitops.cluster.contexts': ['*'] }, null, 2));
      await writeFile(join(workspace, 'objects.yaml'), OBJECTS);
    },
  });
});
afterEach(async (t) => {
  await session?.workbench.shotAfter(t.name);
});
after(async () => {
  await session?.close();
  await new Promise((resolve) => listener?.close(resolve));
  if (outside) await removeTempFolder(outside);
});

test('an untrusted workspace opens in Restricted Mode: editing works, no cluster is contacted, the Clusters view and decryption say why', { timeout: 180_000 }, async () => {
  const { workbench } = session;
  const page = workbench.page;
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor();

  // The extension is active: its log says the cluster features wait for trust.
  await until(async () => (await extensionLogs()).some((log) => log.includes(RESTRICTED_CLUSTER)), 'the extension log says the cluster features are disabled');

  await workbench.showViewContainer('Flux');
  const clusters = clustersPane(page);
  await clusters.locator('.welcome-view-content', { hasText: RESTRICTED_CLUSTER }).waitFor();
  await clusters.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
  await workbench.shot('restricted-clusters-view');
  assert.equal(await workbench.treeRows('Clusters').count(), 0);

  // Diagnostics from the shipped Kubernetes schemas and from the user's crdPaths (the Gadget's CRD);
  // the repository's crdPaths are ignored (the Widget's CRD is not read: its wrong size goes unreported).
  await workbench.openFile('objects.yaml');
  await workbench.problems();
  const problems = page.locator('.markers-panel .monaco-list-row');
  await problems.filter({ hasText: 'Unknown field "dataa"' }).waitFor({ timeout: 60_000 });
  await problems.filter({ hasText: '"gadget-size"' }).waitFor();
  await workbench.shot('restricted-problems');
  const shown = await workbench.problems();
  assert.ok(!shown.some((p) => p.includes('widget-size')), shown.join('\n'));

  await workbench.command('Flux: Decrypt File with SOPS');
  const refusal = workbench.notifications().filter({ hasText: RESTRICTED_DECRYPTION });
  await refusal.waitFor();
  await refusal.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).waitFor();
  await workbench.shot('restricted-decryption-refused');

  assert.equal(connections, 0, 'a connection reached the kubeconfig cluster in Restricted Mode');
});

test('granting trust from the Clusters view starts the cluster features and honours crdPaths, without a reload', { timeout: 180_000 }, async () => {
  const { workbench } = session;
  const page = workbench.page;
  const clusters = clustersPane(page);
  await clusters.locator('.monaco-button', { hasText: 'Manage Workspace Trust' }).click();
  await page.locator('.workspace-trust-editor').waitFor();
  await workbench.shot('trust-editor');
  await page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust$/ }).first().click();
  await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).waitFor({ state: 'detached' });

  await until(async () => connections > 0, 'a connection to the kubeconfig cluster after trust was granted');
  await clusters.locator('.welcome-view-content', { hasText: RESTRICTED_CLUSTER }).waitFor({ state: 'detached' });
  await workbench.showViewContainer('Flux');
  await workbench.treeRows('Clusters').first().waitFor();
  await workbench.problems();
  // The repository's crdPaths now apply, in place of the user's (a workspace value overrides).
  const problems = page.locator('.markers-panel .monaco-list-row');
  await problems.filter({ hasText: '"widget-size"' }).waitFor({ timeout: 60_000 });
  await problems.filter({ hasText: '"gadget-size"' }).waitFor({ state: 'detached' });
  await workbench.shot('trusted');
  // The same activation (no reload, no extension host restart): one log holds both modes.
  const logs = await extensionLogs();
  assert.equal(logs.length, 1, `${logs.length} extension logs`);
  assert.match(logs[0]!, new RegExp(`${RESTRICTED_CLUSTER}[^]*cluster: kubeconfig ${kubeconfig}`));
});
