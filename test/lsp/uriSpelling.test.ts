// A client that spells file URIs its own way (Neovim leaves `(`, `@`, `+` unencoded) through the built
// server: the file it opens is the scanned file, not a second copy of it, and every answer names that
// file the way the client does.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { CodeAction, DocumentLink, Location, Position } from 'vscode-languageserver';
import { LspClient, type Publication } from '../support/lspClient';
import { neovimUri } from '../support/neovimUri';

const projectRoot = path.resolve(__dirname, '../..');
const root = mkdtempSync(path.join(tmpdir(), 'flux-gitops-spelling-'));
const FOLDER = 'apps(old)@v1+x';
const FILES: Record<string, string> = {
  'clusters/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${FOLDER}
  prune: true
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: podinfo-app
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  sourceRef:
    kind: GitRepository
    name: podinfo
  path: ./kustomize
  prune: true
`,
  [`${FOLDER}/source.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: podinfo
  namespace: flux-system
spec:
  interval: 10m
  url: https://github.com/stefanprodan/podinfo
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: old-apps
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  dependsOn:
    - name: app
  sourceRef:
    kind: GitRepository
    name: podinfo
  prune: true
`,
  [`${FOLDER}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - source.yaml
`,
};
/** The URIs this client (Neovim) uses; the server's own spelling of them differs. */
const uriOf = (file: string): string => neovimUri(path.join(root, file));
const CLUSTER = 'clusters/apps.yaml';
const SOURCE = `${FOLDER}/source.yaml`;
let client: LspClient;

function positionOf(file: string, needle: string, delta = 0): Position {
  const text = FILES[file]!;
  const offset = text.indexOf(needle);
  assert.ok(offset >= 0, `${needle} not in ${file}`);
  const before = text.slice(0, offset + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** The first publication for `uri` after arrival `seq` that satisfies `ok` (bounded wait: a hang check). */
async function published(uri: string, seq: number, ok: (p: Publication) => boolean): Promise<Publication> {
  for (let tries = 0; tries < 1200; tries++) {
    const found = client.publications.find((p) => p.uri === uri && p.seq > seq && ok(p));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no matching publication for ${uri}: ${JSON.stringify(client.publications.filter((p) => p.uri === uri).at(-1))}`);
}

const codes = (p: Publication): unknown[] => p.diagnostics.map((d) => d.code);
const definitionFromCluster = (): Promise<Location[]> =>
  client.request<Location[]>('textDocument/definition', { textDocument: { uri: uriOf(CLUSTER) }, position: positionOf(CLUSTER, '    name: podinfo', 10) });

before(async () => {
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  client = LspClient.spawn(process.execPath, [path.join(projectRoot, 'dist/cli.js'), 'lsp', '--stdio'], { timeoutMs: 60_000 });
  await client.initialize(neovimUri(root));
  // The cluster's reference resolves once the scan has read the GitRepository from disk.
  client.open(uriOf(CLUSTER), FILES[CLUSTER]!);
  await published(uriOf(CLUSTER), 0, (p) => !codes(p).includes('flux-reference-missing'));
});

after(async () => {
  await client?.shutdown();
  rmSync(root, { recursive: true, force: true });
});

test('a file opened under the client spelling is indexed once and named as the client names it', async () => {
  assert.notEqual(uriOf(SOURCE), `file://${path.join(root, SOURCE).split('/').map(encodeURIComponent).join('/')}`, 'the client spelling is not the usual one');
  const opened = await client.diagnostics(uriOf(SOURCE), client.open(uriOf(SOURCE), FILES[SOURCE]!));
  assert.deepEqual(codes(opened), ['flux-reference-missing'], 'dependsOn "app" is missing, nothing else');

  assert.deepEqual((await definitionFromCluster()).map((l) => l.uri), [uriOf(SOURCE)]);
  const found = await client.request<Location[]>('fluxGitops/findObjects', { kind: 'GitRepository', name: 'podinfo', namespace: 'flux-system' });
  assert.deepEqual(found.map((l) => l.uri), [uriOf(SOURCE)]);
  const references = await client.request<Location[]>('textDocument/references', {
    textDocument: { uri: uriOf(SOURCE) },
    position: positionOf(SOURCE, 'name: podinfo', 6),
    context: { includeDeclaration: true },
  });
  const sourceRefLine = positionOf(SOURCE, '    name: podinfo').line;
  assert.deepEqual(
    references.map((l) => [l.uri, l.range.start.line]).sort(),
    [[uriOf(CLUSTER), positionOf(CLUSTER, '    name: podinfo').line], [uriOf(SOURCE), positionOf(SOURCE, 'name: podinfo').line], [uriOf(SOURCE), sourceRefLine]].sort(),
  );
  const opens = new Set([uriOf(CLUSTER), uriOf(SOURCE)]);
  assert.deepEqual(client.publications.filter((p) => !opens.has(p.uri)).map((p) => p.uri), [], 'diagnostics only on the URIs the client opened');
});

test("document links and quick-fix edits name the client's files in its spelling", async () => {
  const links = (): Promise<DocumentLink[]> => client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri: uriOf(CLUSTER) } });
  const kustomization = `${FOLDER}/kustomization.yaml`;
  assert.equal((await links()).length, 1);
  assert.notEqual((await links())[0]!.target, uriOf(kustomization), 'a file the client never named keeps the server spelling');
  await client.diagnostics(uriOf(kustomization), client.open(uriOf(kustomization), FILES[kustomization]!));
  assert.deepEqual((await links()).map((l) => l.target), [uriOf(kustomization)]);

  const missing = client.publications.filter((p) => p.uri === uriOf(SOURCE)).at(-1)!.diagnostics.find((d) => d.code === 'flux-reference-missing')!;
  const actions = (await client.codeAction(uriOf(SOURCE), missing.range, [missing])) as CodeAction[];
  const fix = actions.find((a) => a.title === 'Change to "apps"');
  assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
  assert.deepEqual(Object.keys(fix.edit?.changes ?? {}), [uriOf(SOURCE)]);
});

test('an edit in the open document is what references resolve against; closing it restores the disk copy', async () => {
  const seq = client.publications.at(-1)!.seq;
  const at = positionOf(SOURCE, 'name: podinfo', 6);
  const version = client.change(uriOf(SOURCE), [{ range: { start: at, end: { line: at.line, character: at.character + 'podinfo'.length } }, text: 'podinfo-next' }]);
  await client.diagnostics(uriOf(SOURCE), version);
  await published(uriOf(CLUSTER), seq, (p) => codes(p).includes('flux-reference-missing'));
  assert.deepEqual(await definitionFromCluster(), [], 'the stale disk copy does not satisfy the reference');

  const closedAt = client.publications.at(-1)!.seq;
  client.close(uriOf(SOURCE));
  assert.deepEqual((await published(uriOf(SOURCE), closedAt, () => true)).diagnostics, []);
  await published(uriOf(CLUSTER), closedAt, (p) => !codes(p).includes('flux-reference-missing'));
  assert.deepEqual((await definitionFromCluster()).map((l) => l.uri), [uriOf(SOURCE)]);
});
