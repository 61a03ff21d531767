// Files read from disk must get the URI the editor uses for the same file, or the workspace holds a
// stale second copy of every open file whose path has `(`, `@`, `+`, … (or any Windows path).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../../server/src/engine';
import { findObjects } from '../../../server/src/features/findObjects';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';
import { pathToUri, uriToPath } from '../../../server/src/workspace/uri';

// What VS Code's Uri.file(path).toString() gives (vscode-uri 3.2, on Linux).
const VSCODE: [string, string][] = [
  ['/tmp/a (b)@c+d/x.yaml', 'file:///tmp/a%20%28b%29%40c%2Bd/x.yaml'],
  ['/home/u/é ü/日本/x.yml', 'file:///home/u/%C3%A9%20%C3%BC/%E6%97%A5%E6%9C%AC/x.yml'],
  ['/r/100%/a#b?c/x.yaml', 'file:///r/100%25/a%23b%3Fc/x.yaml'],
  ["/r/!$&'()*+,;=:[]/x.yaml", 'file:///r/%21%24%26%27%28%29%2A%2B%2C%3B%3D%3A%5B%5D/x.yaml'],
  ['/r/a~b-c_d.e/x.yaml', 'file:///r/a~b-c_d.e/x.yaml'],
];

test("paths become URIs spelled as VS Code spells them, and back", () => {
  for (const [p, uri] of VSCODE) {
    assert.equal(pathToUri(p), uri, p);
    assert.equal(uriToPath(uri), p, uri);
  }
});

test('an open file in a folder named "fleet (copy)" is one document: an edit is not shadowed by the disk copy', async (t) => {
  const root = path.join(mkdtempSync(path.join(tmpdir(), 'flux-gitops-uri-')), 'fleet (copy)');
  t.after(() => rmSync(path.dirname(root), { recursive: true, force: true }));
  mkdirSync(root);
  const file = path.join(root, 'sources.yaml');
  const source = (name: string) => `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: https://example.com/x.git\n`;
  writeFileSync(file, source('flux-system'));
  const engine = new Engine({ fs: nodeFileSystem() });
  await engine.addWorkspaceFolder(root);
  // The URI VS Code sends for that file.
  const uri = `file://${root.split('/').map((s) => s.replace('fleet (copy)', 'fleet%20%28copy%29')).join('/')}/sources.yaml`;
  engine.openDocument(uri, source('renamed'), 2);
  assert.deepEqual([...engine.documents.uris()], [uri]);
  assert.deepEqual(findObjects(engine.index, { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }), [], 'the old name is gone');
  assert.equal(findObjects(engine.index, { kind: 'GitRepository', name: 'renamed', namespace: 'flux-system' }).length, 1);
});
