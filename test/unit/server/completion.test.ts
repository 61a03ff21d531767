import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemTag, type CompletionItem, type Position } from 'vscode-languageserver';
import { parse } from 'yaml';
import type { Engine } from '../../../server/src/engine';
import { cursorContext } from '../../../server/src/features/completion/cursor';
import { codes, engineWithCrds, open } from './helpers';

/** Opens `text` with `|` marking the cursor; returns the completion items there. */
function completeAt(engine: Engine, marked: string): CompletionItem[] {
  const { text, position } = cursor(marked);
  return engine.completion(open(engine, text), position);
}

function cursor(marked: string): { text: string; position: Position } {
  const offset = marked.indexOf('|');
  const before = marked.slice(0, offset).split('\n');
  return { text: marked.replace('|', ''), position: { line: before.length - 1, character: before.at(-1)!.length } };
}

const newText = (item: CompletionItem | undefined): string | undefined => (item?.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : undefined);
const sorted = (items: CompletionItem[]): CompletionItem[] => [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));

test('cursor context follows indentation and list items while the YAML is incomplete', async () => {
  const engine = await engineWithCrds();
  const at = (marked: string) => {
    const { text, position } = cursor(marked);
    const ctx = engine.positionContext(open(engine, text), position)!;
    const c = cursorContext(ctx)!;
    return { mode: c.mode, path: c.path, valuePath: c.valuePath, siblings: [...c.siblings].sort() };
  };
  assert.deepEqual(at('spec:\n  a: 1\n  |\n  b: [\n'), { mode: 'key', path: ['spec'], valuePath: undefined, siblings: ['a', 'b'] });
  assert.deepEqual(at('spec:\n  containers:\n    - name: x\n      |'), { mode: 'key', path: ['spec', 'containers', 0], valuePath: undefined, siblings: ['name'] });
  assert.deepEqual(at('a:\n  - b:\n      c: 1\n      d: |'), { mode: 'value', path: ['a', 0, 'b'], valuePath: ['a', 0, 'b', 'd'], siblings: ['c'] });
  assert.deepEqual(at('kind: |'), { mode: 'value', path: [], valuePath: ['kind'], siblings: [] });
  // A list item started on the cursor line may be a scalar or its mapping's first key: both paths.
  const item = { mode: 'key', path: ['spec', 'containers', 0], valuePath: ['spec', 'containers', 0], siblings: [] };
  assert.deepEqual(at('spec:\n  containers:\n  - name: x\n  - |'), item);
  assert.deepEqual(at('spec:\n  containers:\n  - name: x\n  - na|'), item);
  assert.deepEqual(at('spec:\n  containers:\n  - name: x\n  -|'), item);
  assert.deepEqual(at('spec:\n  containers: [a, |'), { mode: 'value', path: ['spec'], valuePath: ['spec', 'containers', 0], siblings: [] });
  // One list item per `- ` marker, on the cursor line and on the lines above.
  const nested = { mode: 'key', path: ['spec', 'grid', 0, 0], valuePath: ['spec', 'grid', 0, 0], siblings: [] };
  assert.deepEqual(at('spec:\n  grid:\n  - - |'), nested);
  assert.deepEqual(at('spec:\n  grid:\n  - - a\n    - |'), nested);
  assert.deepEqual(at('spec:\n  grid:\n  - - a: 1\n      |'), { mode: 'key', path: ['spec', 'grid', 0, 0], valuePath: undefined, siblings: ['a'] });
});

test('the cursor context is read once per request: the providers given the same context share it', async () => {
  const engine = await engineWithCrds();
  const { text, position } = cursor('spec:\n  a: |\n');
  const uri = open(engine, text);
  const request = engine.positionContext(uri, position)!;
  assert.equal(cursorContext(request), cursorContext(request));
  engine.changeDocument(uri, [{ text: text.replace('a: ', 'b: ') }], 2);
  const next = engine.positionContext(uri, position)!;
  assert.notEqual(cursorContext(next), cursorContext(request));
  assert.deepEqual(cursorContext(next)!.valuePath, ['spec', 'b'], 'a later request reads the text again');
});

test('keys from the schema: required first, present keys left out, nested required structure as a snippet', async () => {
  const engine = await engineWithCrds('v2.9');
  const items = sorted(completeAt(engine, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: a}\nspec:\n  interval: 1m\n  |\n'));
  const labels = items.map((i) => i.label);
  assert.deepEqual(labels.slice(0, 2), ['prune', 'sourceRef'], 'required keys first');
  assert.ok(!labels.includes('interval'), 'present key left out');
  assert.ok(labels.includes('healthChecks'));
  const sourceRef = items.find((i) => i.label === 'sourceRef')!;
  assert.equal(newText(sourceRef), 'sourceRef:\n  kind: ${1|OCIRepository,GitRepository,Bucket,ExternalArtifact|}\n  name: ${2}');
  assert.equal(sourceRef.detail, 'object (required)');
  assert.equal(newText(items.find((i) => i.label === 'prune')), 'prune: ${1|true,false|}');
  assert.match(String((items.find((i) => i.label === 'suspend')!.documentation as { value: string }).value), /suspend/i);
});

test('keys of built-in kinds inside list items', async () => {
  const engine = await engineWithCrds();
  const items = completeAt(engine, 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          |\n');
  assert.ok(items.some((i) => i.label === 'image'));
  assert.ok(!items.some((i) => i.label === 'name'));
  assert.equal(newText(items.find((i) => i.label === 'ports')), 'ports:\n  - containerPort: ${1}');
});

test('enum values and booleans after a key', async () => {
  const engine = await engineWithCrds('v2.9');
  const head = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n';
  assert.deepEqual(completeAt(engine, `${head}  sourceRef:\n    kind: |\n`).map((i) => i.label), ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact']);
  assert.deepEqual(completeAt(engine, `${head}  prune: t|\n`).map((i) => i.label), ['true', 'false']);
  assert.deepEqual(completeAt(engine, `${head}  path: |\n`), []);
  // Right after the colon, the value comes with its separating space.
  assert.deepEqual(completeAt(engine, `${head}  prune:|\n`).map(newText), [' true', ' false']);
  assert.deepEqual(completeAt(engine, `${head}  prune:t|\n`), [], 'prune:t is a plain scalar, not a key');
});

test('enum values as items of a block or flow list; lists without enum get none, lists of objects keys', async () => {
  const engine = await engineWithCrds('v2.9');
  const head = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n';
  // spec.buildMetadata: items with an enum, the only such list in the Flux 2.9 CRDs.
  const buildMetadata = ['originAnnotations', 'transformerAnnotations'];
  const labels = (marked: string) => completeAt(engine, head + marked).map((i) => i.label);
  assert.deepEqual(labels('  buildMetadata:\n    - |\n'), buildMetadata);
  assert.deepEqual(labels('  buildMetadata:\n  - originAnnotations\n  - |\n  path: ./\n'), buildMetadata, 'second item, list at the key\'s column');
  const typed = completeAt(engine, `${head}  buildMetadata:\n    - orig|\n`);
  assert.deepEqual(typed.map((i) => i.label), buildMetadata);
  assert.deepEqual(typed[0]!.textEdit, { range: { start: { line: 4, character: 6 }, end: { line: 4, character: 10 } }, newText: 'originAnnotations' });
  // A bare dash at the end of the file: the value comes with its separating space.
  assert.deepEqual(completeAt(engine, `${head}  buildMetadata:\n    -|`).map(newText), [' originAnnotations', ' transformerAnnotations']);
  assert.deepEqual(labels('  buildMetadata: [|]\n'), buildMetadata);
  assert.deepEqual(completeAt(engine, `${head}  buildMetadata: [originAnnotations, tr|]\n`).map(newText), buildMetadata, 'replaces the typed item only');
  assert.deepEqual(labels('  buildMetadata: [a]|\n'), [], 'after the closing bracket');
  // Lists of strings without an enum: a Flux CRD field and a built-in kind's field.
  assert.deepEqual(labels('  components:\n    - |\n'), []);
  assert.deepEqual(completeAt(engine, 'apiVersion: v1\nkind: PersistentVolumeClaim\nspec:\n  accessModes:\n    - |\n'), []);
  // Lists of objects: the item's keys, no values.
  const keys = completeAt(engine, `${head}  healthChecks:\n    - |\n`);
  assert.deepEqual(keys.map((i) => i.label).sort(), ['apiVersion', 'kind', 'name', 'namespace']);
  assert.equal(newText(completeAt(engine, `${head}  healthChecks:\n    -|`).find((i) => i.label === 'name')), ' name: ${1}');
});

test('the completion replaces the rest of the word after the cursor too, for values and keys alike', async () => {
  const engine = await engineWithCrds('v2.9');
  const head = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n';
  /** The text once the item labelled `label` is accepted at `|` (snippet placeholders left empty). */
  const accept = (marked: string, label: string): string => {
    const item = completeAt(engine, head + marked).find((i) => i.label === label);
    assert.ok(item?.textEdit && 'range' in item.textEdit, `${label} at ${marked}`);
    const { range, newText: text } = item.textEdit;
    const lines = (head + marked.replace('|', '')).split('\n');
    const line = lines[range.start.line]!;
    lines[range.start.line] = line.slice(0, range.start.character) + text.replace(/\$\{\d+\}/g, '') + line.slice(range.end.character);
    return lines.slice(3).join('\n');
  };
  assert.equal(accept('  buildMetadata:\n    -|x\n', 'originAnnotations'), '  buildMetadata:\n    - originAnnotations\n');
  assert.equal(accept('  buildMetadata:\n    - orig|inAnn\n', 'originAnnotations'), '  buildMetadata:\n    - originAnnotations\n');
  assert.equal(accept('  buildMetadata: [orig|x, transformerAnnotations]\n', 'originAnnotations'), '  buildMetadata: [originAnnotations, transformerAnnotations]\n');
  assert.equal(accept('  prune: t|ru\n', 'true'), '  prune: true\n');
  assert.equal(accept('  healthChecks:\n    -|x\n', 'name'), '  healthChecks:\n    - name: \n');
  assert.equal(accept('  inter|v\n', 'interval'), '  interval: \n');
});

const WIDGET_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
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
              flags: {type: array, items: {type: boolean}}
              names: {type: array, items: {type: string}}
              modes: {type: array, items: {type: array, items: {type: string, enum: [fast, safe]}}}
              grid: {type: array, items: {type: array, items: {type: object, properties: {name: {type: string}, mode: {type: string, enum: [fast, safe]}}}}}
`;

test('a key completed on a `- ` line nests its required fields under it once the client indents them', async () => {
  const engine = await engineWithCrds();
  const head = 'apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      volumes:\n';
  for (const marked of [`${head}        - |`, `${head}        -|`, `${head}      - |`]) {
    const item = completeAt(engine, marked).find((i) => i.label === 'hostPath')!;
    const { text, position } = cursor(marked);
    // What a client does with InsertTextMode.adjustIndentation: further lines get the cursor line's leading whitespace.
    const lead = /^\s*/.exec(text.split('\n')[position.line]!)![0];
    const lines = text.split('\n');
    lines[position.line] += newText(item)!.replace(/\$\{\d+\}/g, '/data').replace(/\n/g, `\n${lead}`);
    const spec = (parse(lines.join('\n')) as { spec: { template: { spec: { volumes: unknown[] } } } }).spec.template.spec;
    assert.deepEqual(spec.volumes, [{ hostPath: { path: '/data' } }], marked);
  }
});

test('booleans as list items, from a workspace CRD', async () => {
  const engine = await engineWithCrds();
  open(engine, WIDGET_CRD);
  const head = 'apiVersion: example.com/v1\nkind: Widget\nspec:\n';
  assert.deepEqual(completeAt(engine, `${head}  flags:\n  - t|\n`).map((i) => i.label), ['true', 'false']);
  assert.deepEqual(completeAt(engine, `${head}  names:\n  - t|\n`), []);
});

test('nested lists: one list item per `- ` marker, so enum values only at the depth of the enum', async () => {
  const engine = await engineWithCrds('v2.9');
  open(engine, WIDGET_CRD);
  const labels = (marked: string) => completeAt(engine, marked).map((i) => i.label);
  // spec.buildMetadata is a list of enum strings: an item of an item would be a list of lists.
  assert.deepEqual(labels('apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  buildMetadata:\n    - - |\n'), []);
  assert.deepEqual(labels('apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nspec:\n  buildMetadata:\n    - - orig|\n'), []);
  // spec.modes (Widget) is a list of lists of enum strings.
  const head = 'apiVersion: example.com/v1\nkind: Widget\nspec:\n  modes:\n';
  assert.deepEqual(labels(`${head}  - |\n`), [], 'an item of modes is a list');
  assert.deepEqual(labels(`${head}  - - |\n`), ['fast', 'safe']);
  assert.deepEqual(labels(`${head}  - - fast\n    - |\n`), ['fast', 'safe'], 'second item of the inner list');
  assert.deepEqual(labels(`${head}  - - fast\n  - - |\n`), ['fast', 'safe'], 'first item of the second inner list');
  assert.deepEqual(labels(`${head}  - - fast\n  - |\n`), [], 'second item of the outer list');
  // spec.grid (Widget) is a list of lists of objects: keys and values inside the inner items.
  const grid = 'apiVersion: example.com/v1\nkind: Widget\nspec:\n  grid:\n';
  assert.deepEqual(labels(`${grid}  - - mode: |\n`), ['fast', 'safe']);
  assert.deepEqual(labels(`${grid}  - - name: a\n      mode: |\n`), ['fast', 'safe']);
  assert.deepEqual(labels(`${grid}  - - name: a\n      |\n`), ['mode']);
  assert.deepEqual(labels(`${grid}  - - name: a\n    - |\n`).sort(), ['mode', 'name']);
});

test('apiVersion: newest first, deprecated ones marked, filtered by the kind', async () => {
  const engine = await engineWithCrds('v2.6');
  const items = completeAt(engine, 'apiVersion: |\nkind: HelmRelease\n');
  assert.deepEqual(items.map((i) => i.label), ['helm.toolkit.fluxcd.io/v2', 'helm.toolkit.fluxcd.io/v2beta2', 'helm.toolkit.fluxcd.io/v2beta1']);
  assert.equal(items[0]!.tags, undefined);
  assert.deepEqual(items[1]!.tags, [CompletionItemTag.Deprecated]);
  const all = completeAt(engine, 'apiVersion: |\n').map((i) => i.label);
  assert.ok(all.includes('apps/v1') && all.includes('source.toolkit.fluxcd.io/v1') && all.includes('source.extensions.fluxcd.io/v1beta1'));
  assert.ok(all.indexOf('source.toolkit.fluxcd.io/v1') < all.indexOf('source.toolkit.fluxcd.io/v1beta2'));
});

test('kind for the chosen apiVersion, and every kind with its apiVersion written in when there is none', async () => {
  const engine = await engineWithCrds('v2.9');
  assert.deepEqual(completeAt(engine, 'apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: |\n').map((i) => i.label).sort(), ['Alert', 'Provider']);
  const items = completeAt(engine, 'kind: Helm|\n');
  const release = items.find((i) => i.label === 'HelmRelease')!;
  assert.equal(release.detail, 'helm.toolkit.fluxcd.io/v2');
  assert.deepEqual(release.additionalTextEdits, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: 'apiVersion: helm.toolkit.fluxcd.io/v2\n' }]);
});

test('required fields may come from a << merge key: no missing-required there', async () => {
  const engine = await engineWithCrds('v2.9');
  const text = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k\n  annotations: &ref {kind: GitRepository, name: x}\nspec:\n  interval: 1m\n  prune: true\n  sourceRef:\n    <<: *ref\n';
  assert.deepEqual(engine.diagnostics(open(engine, text)), []);
  assert.deepEqual(codes(engine.diagnostics(open(engine, text.replace('    <<: *ref\n', '    kind: GitRepository\n')))), ['9:missing-required']);
});

test('Flux skeletons in an empty document only', async () => {
  const engine = await engineWithCrds();
  const labels = completeAt(engine, 'a: 1\n---\n|').map((i) => i.label);
  assert.deepEqual(labels, ['Flux GitRepository', 'Flux Kustomization', 'Flux HelmRepository + HelmRelease', 'Flux ImageRepository + ImagePolicy + ImageUpdateAutomation']);
  const [git] = completeAt(engine, '|');
  assert.match(newText(git)!, /^apiVersion: source\.toolkit\.fluxcd\.io\/v1\nkind: GitRepository\n/);
  assert.ok(!completeAt(engine, 'kind: X\n|').some((i) => i.label.startsWith('Flux ')));
  assert.equal(completeAt(engine, '# A new file\n# for the apps\n|').length, 4, 'comments do not count');
});

test('skeletons are valid objects once their placeholders are filled with the defaults', async () => {
  const engine = await engineWithCrds('v2.9');
  for (const item of completeAt(engine, '|')) {
    const text = newText(item)!.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1');
    assert.deepEqual(engine.diagnostics(open(engine, text)), [], item.label);
  }
});

test('hover: description, type, required, pattern; apiVersion shows served versions per Flux release', async () => {
  const engine = await engineWithCrds('v2.9');
  const text = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: a\nspec:\n  interval: 1m\n';
  const uri = open(engine, text);
  const value = (h: ReturnType<Engine['hover']>) => (h?.contents as { value: string }).value;
  const interval = value(engine.hover(uri, { line: 5, character: 4 }));
  assert.match(interval, /^\*\*interval\*\*: `string` \(required\)/);
  assert.match(interval, /The interval at which to reconcile/);
  assert.match(interval, /Pattern: /);
  const api = value(engine.hover(uri, { line: 0, character: 20 }));
  assert.match(api, /Served by the Kustomization CRD from the CRD paths: `v1` \(storage\)/);
  assert.match(api, /\| 2\.3 \| \*\*v1\*\*, v1beta2 \(deprecated\), v1beta1 \(deprecated\) \|/);
  assert.match(value(engine.hover(uri, { line: 3, character: 3 })), /^\*\*name\*\*: `string`/, 'metadata from the built-in ObjectMeta');
  assert.deepEqual(engine.hover(uri, { line: 4, character: 2 })?.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 4 } });
});

test('metadata: name and namespace first, fields the API server sets left out', async () => {
  const engine = await engineWithCrds('v2.9');
  const items = sorted(completeAt(engine, 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  |\n'));
  assert.deepEqual(items.slice(0, 2).map((i) => i.label), ['name', 'namespace']);
  assert.equal(items[0]!.detail, 'string');
  const labels = items.map((i) => i.label);
  assert.ok(labels.includes('labels') && labels.includes('annotations'));
  assert.ok(!labels.includes('uid') && !labels.includes('resourceVersion') && !labels.includes('creationTimestamp'));
});
