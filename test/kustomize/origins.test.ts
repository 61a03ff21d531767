// Every built value keeps where its text is: the file and YAML range of the manifest that wrote it, or of
// the patch, kustomization field or generator entry that set it. Built from in-memory files, as a language
// server builds unsaved buffers.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { LineIndex } from '../../server/src/documents/lineIndex';
import { kustomizeBuild } from '../../server/src/kustomize/build';
import { originAt, type Value, type ValueMap } from '../../server/src/kustomize/values';
import { ParseCache } from '../../server/src/kustomize/yamlValues';
import { dedent, memoryReader } from './support';

const ROOT = '/repo/app';

const files: Record<string, string> = {
  [`${ROOT}/kustomization.yaml`]: dedent(`
    apiVersion: kustomize.config.k8s.io/v1beta1
    kind: Kustomization
    namespace: production
    commonLabels:
      team: platform
    resources:
      - deployment.yaml
    patches:
      - path: patch.yaml
      - target:
          kind: Deployment
        patch: |-
          - op: add
            path: /spec/template/spec/containers/0/args
            value: ["--verbose"]
          - op: replace
            path: /spec/replicas
            value: 3
    images:
      - name: nginx
        newTag: "1.27"
    configMapGenerator:
      - name: settings
        literals:
          - LOG_LEVEL=debug
        files:
          - app.conf
  `),
  [`${ROOT}/deployment.yaml`]: dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      replicas: 1
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
            - name: app
              image: nginx:1.25
              ports:
                - containerPort: 80
  `),
  [`${ROOT}/patch.yaml`]: dedent(`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      template:
        spec:
          containers:
            - name: app
              resources:
                limits:
                  memory: 128Mi
  `),
  [`${ROOT}/app.conf`]: 'listen 80;\n',
};

/** The file and trimmed line text an origin points at. */
function where(root: Value, path: (string | number)[]): { file: string; line: string } {
  const origin = originAt(root, path);
  assert.ok(origin, `no origin for ${path.join('/')}`);
  const text = files[origin.file];
  assert.ok(text !== undefined, `origin in an unknown file ${origin.file}`);
  const index = new LineIndex(text);
  return { file: origin.file.slice(ROOT.length + 1), line: index.lineText(index.lineOf(origin.start)).trim() };
}

function build(): readonly ValueMap[] {
  const result = kustomizeBuild(memoryReader(files), ROOT);
  assert.deepEqual(result.problems, []);
  return result.objects;
}

test('values keep the origin of the manifest, patch, kustomization field or generator entry that wrote them', () => {
  const objects = build();
  const deployment = objects.find((o) => o.kind === 'Deployment')!;
  const configMap = objects.find((o) => o.kind === 'ConfigMap')!;
  assert.deepEqual(where(deployment, []), { file: 'deployment.yaml', line: 'apiVersion: apps/v1' });
  assert.deepEqual(where(deployment, ['spec', 'selector', 'matchLabels', 'app']), { file: 'deployment.yaml', line: 'app: web' });
  assert.deepEqual(where(deployment, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'containerPort']), { file: 'deployment.yaml', line: '- containerPort: 80' });
  // Set by the strategic-merge patch file.
  assert.deepEqual(where(deployment, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory']), { file: 'patch.yaml', line: 'memory: 128Mi' });
  // Set by the inline JSON patch: the line inside the kustomization's block scalar.
  assert.deepEqual(where(deployment, ['spec', 'replicas']), { file: 'kustomization.yaml', line: 'value: 3' });
  assert.deepEqual(where(deployment, ['spec', 'template', 'spec', 'containers', 0, 'args', 0]), { file: 'kustomization.yaml', line: 'value: ["--verbose"]' });
  // Set by kustomization fields.
  assert.deepEqual(where(deployment, ['metadata', 'namespace']), { file: 'kustomization.yaml', line: 'namespace: production' });
  assert.deepEqual(where(deployment, ['metadata', 'labels', 'team']), { file: 'kustomization.yaml', line: 'team: platform' });
  assert.deepEqual(where(deployment, ['spec', 'template', 'spec', 'containers', 0, 'image']), { file: 'kustomization.yaml', line: 'newTag: "1.27"' });
  // A generated object: the generator entry, its literal, its file.
  assert.deepEqual(where(configMap, []), { file: 'kustomization.yaml', line: '- name: settings' });
  assert.deepEqual(where(configMap, ['data', 'LOG_LEVEL']), { file: 'kustomization.yaml', line: '- LOG_LEVEL=debug' });
  assert.deepEqual(where(configMap, ['data', 'app.conf']), { file: 'app.conf', line: 'listen 80;' });
});

test('a parse cache gives the same build, and an edited file is parsed anew', () => {
  const cache = new ParseCache();
  const plain = kustomizeBuild(memoryReader(files), ROOT).objects;
  const first = kustomizeBuild(memoryReader(files), ROOT, { cache }).objects;
  const again = kustomizeBuild(memoryReader(files), ROOT, { cache }).objects;
  assert.deepEqual(JSON.parse(JSON.stringify(first)), JSON.parse(JSON.stringify(plain)));
  assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(plain)));
  const edited = { ...files, [`${ROOT}/deployment.yaml`]: files[`${ROOT}/deployment.yaml`]!.replace('name: app', 'name: server') };
  const rebuilt = kustomizeBuild(memoryReader(edited), ROOT, { cache });
  const containers = (rebuilt.objects.find((o) => o.kind === 'Deployment') as { spec: { template: { spec: { containers: { name: string }[] } } } }).spec.template.spec.containers;
  assert.deepEqual(
    containers.map((c) => c.name),
    ['app', 'server'],
    'the patch now adds its container beside the renamed one',
  );
});

test('a build lists every file and folder it read, found or not', () => {
  const result = kustomizeBuild(memoryReader(files), ROOT);
  for (const name of ['kustomization.yaml', 'deployment.yaml', 'patch.yaml', 'app.conf']) assert.ok(result.inputs.has(`${ROOT}/${name}`), name);
  assert.ok(result.inputs.has(`${ROOT}/kustomization.yml`), 'the kustomization file names looked for count too');
});
