// Reference-name completion on the example fleet repository (read from ../shared at test time), where
// staging and production both define apps, infra-configs and infra-controllers in flux-system.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { MarkupContent } from 'vscode-languageserver';
import { Engine } from '../../../server/src/engine';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';
import { pathToUri } from '../../../server/src/workspace/uri';

const repo = path.resolve(__dirname, '../../..', '../shared/fixtures/repos/flux2-kustomize-helm-example');

test('dependsOn completion offers each Kustomization once, lists where it is defined, and never the referrer', async () => {
  const engine = new Engine({ fs: nodeFileSystem() });
  await engine.addWorkspaceFolder(repo);
  const file = path.join(repo, 'clusters/production/apps.yaml');
  const text = readFileSync(file, 'utf8');
  const before = text.slice(0, text.indexOf('- name: infra-configs') + '- name: '.length);
  const position = { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
  const items = engine.completion(pathToUri(file), position);
  assert.deepEqual(items.map((i) => i.label).sort(), ['infra-configs', 'infra-controllers']);
  const configs = items.find((i) => i.label === 'infra-configs');
  assert.equal(
    (configs?.documentation as MarkupContent | undefined)?.value,
    'Defined in `clusters/production/infrastructure.yaml`, `clusters/staging/infrastructure.yaml`',
  );
});
