// The Flux features through the built language server over stdio (`node dist/cli.js lsp --stdio`):
// completion, definition, references, code actions and document links on a small repository
// written to a temporary folder (test/support/fluxRepo.ts).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, DocumentLink, Location, Position } from 'vscode-languageserver';
import { LspClient } from '../../support/lspClient';
import { REPO } from '../../support/fluxRepo';

const projectRoot = path.resolve(__dirname, '../../..');
const root = mkdtempSync(path.join(tmpdir(), 'flux-lsp-'));
const uriOf = (file: string): string => pathToFileURL(path.join(root, file)).href;
let client: LspClient;

function positionOf(file: string, needle: string, delta = 0): Position {
  const text = REPO[file]!;
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in ${file}`);
  const before = text.slice(0, offset + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Opens a repository file and waits until its diagnostics include `code` (the scan may still be running). */
async function openUntil(file: string, code: string): Promise<void> {
  const uri = uriOf(file);
  const version = client.open(uri, REPO[file]!);
  let latest = await client.diagnostics(uri, version);
  // Bounded wait for the republication after the workspace scan: a hang check, not a speed assertion.
  for (let tries = 0; !latest.diagnostics.some((d) => d.code === code); tries++) {
    assert.ok(tries < 1200, `${file}: no ${code} in ${JSON.stringify(latest.diagnostics.map((d) => d.code))}`);
    await new Promise((r) => setTimeout(r, 50));
    latest = client.publications.filter((x) => x.uri === uri).at(-1)!;
  }
}

/** Waits until the workspace scan has indexed every object of the repository (findObjects finds each). */
async function scanned(): Promise<void> {
  const wanted = Object.values(REPO).flatMap((text) =>
    [...text.matchAll(/^kind: (\S+)\nmetadata:\n {2}name: (\S+)\n {2}namespace: (\S+)/gm)].map((m) => ({ kind: m[1]!, name: m[2]!, namespace: m[3]! })),
  );
  assert.ok(wanted.length > 10);
  for (let tries = 0; ; tries++) {
    const found = await Promise.all(wanted.map((o) => client.request<unknown[]>('fluxGitops/findObjects', o)));
    if (found.every((locations) => locations.length > 0)) return;
    // A hang check, not a speed assertion.
    assert.ok(tries < 1200, 'the workspace scan did not finish');
    await new Promise((r) => setTimeout(r, 50));
  }
}

before(async () => {
  for (const [file, text] of Object.entries(REPO)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], { timeoutMs: 60_000 });
  await client.initialize(pathToFileURL(root).href);
  await scanned();
  await openUntil('apps/prod/deploy.yaml', 'marker-policy-missing');
  await openUntil('secrets/plain.yaml', 'secret-plaintext');
  await openUntil('clusters/prod/apps.yaml', 'flux-dependency-cycle');
});

after(async () => {
  await client?.shutdown();
  rmSync(root, { recursive: true, force: true });
});

test('completion: ImagePolicies inside a marker, Kustomizations in dependsOn', async () => {
  const markers = await client.completion(uriOf('apps/prod/deploy.yaml'), positionOf('apps/prod/deploy.yaml', 'flux-system:gone'));
  assert.ok(markers.some((i) => i.label === 'flux-system:app'), markers.map((i) => i.label).join());
  const names = await client.completion(uriOf('clusters/prod/apps.yaml'), positionOf('clusters/prod/apps.yaml', '- name: infra', 8));
  const labels = names.map((i) => i.label);
  assert.ok(labels.includes('infra') && labels.includes('secrets') && labels.includes('wrongkind'), labels.join());
});

test('definition: from a marker to its ImagePolicy, from dependsOn to the Kustomization', async () => {
  const fromMarker = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri: uriOf('apps/prod/deploy.yaml') },
    position: positionOf('apps/prod/deploy.yaml', '# {"$imagepolicy": "flux-system:app"}', 22),
  });
  assert.deepEqual(fromMarker.map((l) => l.uri), [uriOf('infra/images.yaml')]);
  const fromDependsOn = await client.request<Location[]>('textDocument/definition', {
    textDocument: { uri: uriOf('clusters/prod/apps.yaml') },
    position: positionOf('clusters/prod/apps.yaml', '- name: infra', 9),
  });
  assert.deepEqual(fromDependsOn.map((l) => [l.uri, l.range.start.line]), [[uriOf('clusters/prod/apps.yaml'), positionOf('clusters/prod/apps.yaml', '  name: infra').line]]);
});

test('references: an ImagePolicy is named by its marker', async () => {
  const refs = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri: uriOf('infra/images.yaml') },
    position: positionOf('infra/images.yaml', 'name: app\n  namespace: flux-system\nspec:\n  imageRepositoryRef', 7),
    context: { includeDeclaration: false },
  });
  assert.deepEqual(refs.map((l) => [l.uri, l.range.start.line]), [[uriOf('apps/prod/deploy.yaml'), positionOf('apps/prod/deploy.yaml', 'flux-system:app').line]]);
});

test('code actions: encrypt a plain-text Secret (client command), rewrite a malformed marker (edit)', async () => {
  const plain = client.publications.filter((p) => p.uri === uriOf('secrets/plain.yaml')).at(-1)!;
  const secret = plain.diagnostics.find((d) => d.code === 'secret-plaintext')!;
  const actions = (await client.codeAction(uriOf('secrets/plain.yaml'), secret.range, [secret])) as CodeAction[];
  const encrypt = actions.find((a) => a.command?.command === 'fluxGitops.sops.encryptFile');
  assert.deepEqual(encrypt?.command?.arguments, [uriOf('secrets/plain.yaml')]);

  const uri = uriOf('apps/prod/quoted.yaml');
  const text = "image: ghcr.io/org/app:1.0.0 # {'$imagepolicy': 'flux-system:app'}\n";
  const version = client.open(uri, text);
  const published = await client.diagnostics(uri, version);
  const marker = published.diagnostics.find((d) => d.code === 'marker-invalid-json');
  assert.ok(marker, JSON.stringify(published.diagnostics));
  const fixes = (await client.codeAction(uri, marker.range, [marker])) as CodeAction[];
  const edit = fixes.find((a) => a.edit)?.edit?.changes?.[uri]?.[0];
  assert.equal(edit?.newText, '# {"$imagepolicy": "flux-system:app"}');
});

test('document links: spec.path opens the kustomization file', async () => {
  const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf('clusters/prod/apps.yaml') } });
  assert.ok(links.some((l) => l.target === uriOf('apps/prod/kustomization.yaml')), JSON.stringify(links));
});
