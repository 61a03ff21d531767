// Edge cases of each kustomize feature, each built by the real kustomize v5.8.2 and by ours and compared
// (objects as sets; for a failing build, both fail and ours points at the line that causes it). The
// expected results are the real tool's, never written here.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { kustomizeBuild } from '../../server/src/kustomize/build';
import { LineIndex } from '../../server/src/documents/lineIndex';
import { compareObjectSets, dedent, diskReader, realKustomizeBuild } from './support';

interface Case {
  readonly name: string;
  /** Files by path relative to the case folder; the build runs in `root` (default: the case folder). */
  readonly files: Record<string, string | Buffer>;
  readonly root?: string;
  /** For a build kustomize refuses: a phrase of kustomize's message ours must share, and the line ours points at. */
  readonly error?: { readonly phrase: string; readonly file: string; readonly line: string };
  /** A warning ours gives on a build kustomize accepts: its text and line. */
  readonly warning?: { readonly phrase: string; readonly file: string; readonly line: string };
}

const scratch = mkdtempSync(join(tmpdir(), 'kustomize-features-'));
after(() => rmSync(scratch, { recursive: true, force: true }));
let caseCount = 0;

/** The trimmed lines a range covers. */
function linesOf(text: string, start: number, end: number): string[] {
  const index = new LineIndex(text);
  const lines: string[] = [];
  for (let line = index.lineOf(start); line <= index.lineOf(Math.max(start, end - 1)); line++) lines.push(index.lineText(line).trim());
  return lines;
}

function check(c: Case): void {
  const dir = join(scratch, `case-${++caseCount}`);
  for (const [name, text] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), typeof text === 'string' ? dedent(text) : text);
  }
  const root = join(dir, c.root ?? '');
  const real = realKustomizeBuild(root);
  const ours = kustomizeBuild(diskReader, root);
  const error = ours.problems.find((p) => p.severity === 'error');
  const where = (origin: { file: string; start: number; end: number }) => linesOf(dedent(String(c.files[origin.file.slice(dir.length + 1)] ?? '')), origin.start, origin.end);
  if (!real.ok) {
    assert.ok(error, `${c.name}: kustomize fails (${real.error}) but ours builds ${ours.objects.length} objects`);
    assert.ok(c.error, `${c.name}: kustomize fails (${real.error}); ours: ${error.message}; the case must say where ours should point`);
    assert.ok(real.error.includes(c.error.phrase), `${c.name}: kustomize's message ${JSON.stringify(real.error)} lacks ${JSON.stringify(c.error.phrase)}`);
    assert.ok(error.message.includes(c.error.phrase), `${c.name}: our message ${JSON.stringify(error.message)} lacks ${JSON.stringify(c.error.phrase)}`);
    assert.equal(error.origin.file, join(dir, c.error.file), `${c.name}: error file`);
    assert.ok(where(error.origin).includes(c.error.line), `${c.name}: error on ${JSON.stringify(where(error.origin))}, expected ${c.error.line}`);
    return;
  }
  assert.equal(c.error, undefined, `${c.name}: the case expects an error but kustomize builds it`);
  assert.equal(error, undefined, `${c.name}: kustomize builds it but ours fails: ${error?.message}`);
  assert.ok(real.objects.length > 0, `${c.name}: kustomize builds nothing; the case tests nothing`);
  const comparison = compareObjectSets(ours.objects, real.objects);
  assert.deepEqual(comparison, { onlyOurs: [], onlyTheirs: [], different: [] }, `${c.name}: objects differ`);
  if (c.warning) {
    const warning = ours.problems.find((p) => p.severity === 'warning');
    assert.ok(warning?.message.includes(c.warning.phrase), `${c.name}: expected a warning with ${c.warning.phrase}, got ${warning?.message}`);
    assert.equal(warning!.origin.file, join(dir, c.warning.file));
    assert.ok(where(warning!.origin).includes(c.warning.line), `${c.name}: warning on ${JSON.stringify(where(warning!.origin))}, expected ${c.warning.line}`);
  }
}

const DEPLOYMENT = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: web
    labels:
      app: web
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
            env:
              - name: A
                value: "1"
          - name: sidecar
            image: busybox
        volumes:
          - name: config
            configMap:
              name: settings
`;

const kustomization = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${dedent(body)}`;

function cases(title: string, list: readonly Case[]): void {
  describe(title, () => {
    for (const c of list) test(c.name, () => check(c));
  });
}

cases('resources', [
  {
    name: 'multi-document files, empty documents and Lists are expanded',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - all.yaml\n  - list.yaml\n'),
      'all.yaml': '---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
      'list.yaml': 'apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n    metadata:\n      name: s\n  - apiVersion: v1\n    kind: ConfigMapList\n    items:\n      - apiVersion: v1\n        kind: ConfigMap\n        metadata:\n          name: nested\n',
    },
  },
  {
    name: 'nested kustomization folders, bases, and the other kustomization file names',
    files: {
      'kustomization.yml': kustomization('resources:\n  - app\nbases:\n  - ./base\n'),
      'app/Kustomization': kustomization('resources:\n  - deployment.yaml\n'),
      'app/deployment.yaml': DEPLOYMENT,
      'base/kustomization.yaml': kustomization('resources:\n  - cm.yaml\n'),
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: base\ndata:\n  k: v\n',
    },
  },
  {
    name: 'a missing resource',
    files: { 'kustomization.yaml': kustomization('resources:\n  - missing.yaml\n') },
    error: { phrase: "accumulating resources from 'missing.yaml'", file: 'kustomization.yaml', line: '- missing.yaml' },
  },
  {
    name: 'the same object twice',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a.yaml\n  - b.yaml\n'),
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n',
      'b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: same\n  namespace: default\n',
    },
    error: { phrase: 'may not add resource with an already registered id: ConfigMap.v1.[noGrp]/same', file: 'kustomization.yaml', line: '- b.yaml' },
  },
  {
    name: 'an object without a name',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels:\n    a: b\n' },
    error: { phrase: 'missing metadata.name', file: 'a.yaml', line: 'labels:' },
  },
  {
    name: 'malformed YAML',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n   bad: indent\n' },
    error: { phrase: 'MalformedYAMLError', file: 'a.yaml', line: 'bad: indent' },
  },
  {
    name: 'a kustomization that includes itself',
    files: { 'kustomization.yaml': kustomization('resources:\n  - ./\n') },
    error: { phrase: 'cycle detected', file: 'kustomization.yaml', line: '- ./' },
  },
  {
    name: 'a kustomization that includes its parent',
    files: { 'kustomization.yaml': kustomization('resources:\n  - child\n'), 'child/kustomization.yaml': kustomization('resources:\n  - ..\n') },
    error: { phrase: 'cycle detected', file: 'child/kustomization.yaml', line: '- ..' },
  },
  {
    name: 'a folder without a kustomization file',
    files: { 'kustomization.yaml': kustomization('resources:\n  - empty\n'), 'empty/readme.txt': 'nothing\n' },
    error: { phrase: "unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization'", file: 'kustomization.yaml', line: '- empty' },
  },
  {
    name: 'two kustomization files in one folder',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'), 'kustomization.yml': kustomization('resources:\n  - a.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
    error: { phrase: 'Found multiple kustomization files', file: 'kustomization.yml', line: 'apiVersion: kustomize.config.k8s.io/v1beta1' },
  },
  {
    name: 'a key given twice: the last one wins in a kustomization file, an object refuses it',
    files: {
      'kustomization.yaml': kustomization('namespace: first\nresources:\n  - a.yaml\nnamespace: second\n'),
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
    },
  },
  {
    name: 'a key given twice in an object',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: one\n  k: two\n' },
    error: { phrase: 'mapping key "k" already defined', file: 'a.yaml', line: 'k: two' },
  },
  {
    name: 'an unknown field in the kustomization',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\nresourcez:\n  - b.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n' },
    error: { phrase: 'json: unknown field "resourcez"', file: 'kustomization.yaml', line: '- b.yaml' },
  },
  {
    name: 'a component named as a resource',
    files: { 'kustomization.yaml': kustomization('resources:\n  - comp\n'), 'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: x-\n' },
    error: { phrase: "expected kind != 'Component'", file: 'kustomization.yaml', line: '- comp' },
  },
  {
    name: 'a kustomization named as a component',
    files: { 'kustomization.yaml': kustomization('components:\n  - base\n'), 'base/kustomization.yaml': kustomization('namePrefix: x-\n') },
    error: { phrase: "expected kind 'Component'", file: 'kustomization.yaml', line: '- base' },
  },
  {
    name: 'objects with config.kubernetes.io/local-config are dropped',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'),
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n  annotations:\n    config.kubernetes.io/local-config: "true"\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    config.kubernetes.io/local-config: "false"\n',
    },
  },
]);

cases('YAML as kustomize reads and writes it', [
  {
    name: 'plain scalars typed by go-yaml v3 (octal, underscores, binary, timestamps), annotations written as strings',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'),
      'a.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: scalars
          annotations:
            number: 12
            boolean: true
            empty-map: {}
        data:
          octal: 0755
          underscores: 1_000
          binary: 0b101
          hex: 0x1F
          date: 2024-01-02
          stamp: 2024-01-02T03:04:05.120Z
          spaced: 2024-1-2 3:04:05
          yes: yes
          on: on
          float: 1.50
          exp: 1e3
          tilde: ~
          nothing:
      `,
    },
  },
  {
    name: 'empty annotations are removed',
    files: { 'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'), 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  annotations: {}\n  labels: {}\n' },
  },
  {
    name: 'folded block scalars, with more-indented lines (go-yaml adds a line break before them)',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'),
      'a.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: folded
        data:
          plain: >
            one
            two

            three
          indented: >-
            [
              {"a": 1},
              {"b": 2}
            ]
          keep: >+
            kept

          leading: >2
             lead
            text
          literal: |
            a
              b
      `,
    },
  },
  {
    name: 'a block scalar at the end of a text without a final newline keeps no line break (file, inline patch)',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - a.yaml
        patches:
          - target:
              kind: ConfigMap
            patch: |-
              apiVersion: v1
              kind: ConfigMap
              metadata:
                name: any
              data:
                nested: |
                  from the patch
      `),
      'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  clip: |\n    no break\n  keep: |+\n    kept',
    },
  },
  {
    name: 'anchors, aliases and merge keys',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a.yaml\n'),
      'a.yaml': `
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: anchors
          labels: &labels
            a: b
          annotations:
            <<: *labels
            c: d
        data: &data
          x: y
      `,
    },
  },
]);

cases('generators', [
  {
    name: 'config maps from literals, files and env files, with hash suffixes and references updated',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - deployment.yaml
        configMapGenerator:
          - name: settings
            literals:
              - A=1
              - QUOTED="two words"
              - EMPTY=
            files:
              - config.json
              - renamed.txt=notes.txt
            envs:
              - vars.env
          - name: other
            options:
              disableNameSuffixHash: true
              labels:
                own: label
        generatorOptions:
          labels:
            generated: "yes"
          annotations:
            note: global
      `),
      'deployment.yaml': DEPLOYMENT,
      'config.json': '{"a": 1}\n',
      'notes.txt': 'line one\nline two\n',
      'vars.env': '# comment\nFOO=bar\n\n  SPACED=value with spaces\nNOVALUE\n',
    },
  },
  {
    name: 'secrets: types, base64 lines, immutable, and env refs updated',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - pod.yaml
        secretGenerator:
          - name: creds
            type: kubernetes.io/basic-auth
            literals:
              - username=admin
              - password=a-very-long-secret-value-that-makes-the-base64-encoding-wrap-past-seventy-characters
            options:
              immutable: true
          - name: plain
            literals:
              - k=v
      `),
      'pod.yaml': `
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
        spec:
          containers:
            - name: c
              image: busybox
              env:
                - name: USER
                  valueFrom:
                    secretKeyRef:
                      name: creds
                      key: username
              envFrom:
                - secretRef:
                    name: plain
      `,
    },
  },
  {
    name: 'a binary file goes to binaryData, in base64 lines of 70 characters',
    files: {
      'kustomization.yaml': kustomization('configMapGenerator:\n  - name: binary\n    files:\n      - logo.bin\n      - small.bin\n'),
      'logo.bin': Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37) % 256)),
      'small.bin': Buffer.from([0xff, 0xfe, 0x00]),
    },
  },
  {
    name: 'behavior merge and replace in an overlay',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - base
        configMapGenerator:
          - name: settings
            behavior: merge
            literals:
              - B=overlay
              - C=new
          - name: replaced
            behavior: replace
            literals:
              - ONLY=this
      `),
      'base/kustomization.yaml': kustomization(`
        configMapGenerator:
          - name: settings
            literals:
              - A=base
              - B=base
          - name: replaced
            literals:
              - OLD=value
      `),
    },
  },
  {
    name: 'behavior merge with nothing to merge into',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: settings\n    behavior: merge\n    literals:\n      - A=1\n') },
    error: { phrase: 'does not exist; cannot merge or replace', file: 'kustomization.yaml', line: '- name: settings' },
  },
  {
    name: 'a generator file that is missing',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: settings\n    files:\n      - missing.conf\n') },
    error: { phrase: 'no such file or directory', file: 'kustomization.yaml', line: '- missing.conf' },
  },
  {
    name: 'a key given twice',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: settings\n    literals:\n      - A=1\n      - A=2\n') },
    error: { phrase: 'illegally repeats the key `A`', file: 'kustomization.yaml', line: '- A=2' },
  },
  {
    name: 'an invalid literal',
    files: { 'kustomization.yaml': kustomization('configMapGenerator:\n  - name: settings\n    literals:\n      - novalue\n') },
    error: { phrase: 'invalid literal source novalue, expected key=value', file: 'kustomization.yaml', line: '- novalue' },
  },
]);

const SERVICE = `
  apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    selector:
      app: web
    ports:
      - port: 80
        targetPort: 8080
        protocol: TCP
`;

const HELMRELEASE = `
  apiVersion: helm.toolkit.fluxcd.io/v2
  kind: HelmRelease
  metadata:
    name: app
    namespace: apps
    labels:
      tier: backend
    annotations:
      team: a
  spec:
    interval: 1h
    dependsOn:
      - name: db
    values:
      list:
        - name: x
          value: 1
`;

cases('strategic-merge patches', [
  {
    name: 'containers merge by name (patch elements first), env by name, ports by port and protocol, volumes by name',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - path: patch.yaml\n'),
      'deployment.yaml': DEPLOYMENT,
      'patch.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          template:
            spec:
              containers:
                - name: sidecar
                  image: busybox:2
                - name: new
                  image: redis
                - name: app
                  env:
                    - name: B
                      value: "2"
                  ports:
                    - containerPort: 80
                      protocol: TCP
                      name: http
                    - containerPort: 9090
              volumes:
                - name: extra
                  emptyDir: {}
      `,
    },
  },
  {
    name: '$patch: delete and replace directives, null deletes, $patch: delete of a list element',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatchesStrategicMerge:\n  - patch.yaml\n'),
      'deployment.yaml': DEPLOYMENT,
      'patch.yaml': `
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          labels: null
        spec:
          replicas: null
          selector:
            $patch: replace
            matchLabels:
              app: other
          template:
            spec:
              containers:
                - name: sidecar
                  $patch: delete
                - name: app
                  env:
                    - $patch: replace
                    - name: ONLY
                      value: this
      `,
    },
  },
  {
    name: 'a whole object deleted by a patch',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\n  - service.yaml\npatchesStrategicMerge:\n  - |-\n    apiVersion: v1\n    kind: Service\n    metadata:\n      name: web\n    $patch: delete\n'),
      'deployment.yaml': DEPLOYMENT,
      'service.yaml': SERVICE,
    },
  },
  {
    name: 'custom resources: lists replaced whole, maps merged, nulls kept when written null and dropped when empty',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - helmrelease.yaml
        patches:
          - target:
              kind: HelmRelease
            patch: |
              apiVersion: helm.toolkit.fluxcd.io/v2
              kind: HelmRelease
              metadata:
                name: any
              spec:
                dependsOn:
                  - name: other
                values:
                  added: true
      `),
      'helmrelease.yaml': `${HELMRELEASE}    empty:\n    explicit: null\n`,
    },
  },
  {
    name: 'targets: name regex, namespace, labelSelector, annotationSelector, group and version',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - objects.yaml
        patches:
          - target:
              name: "web-.*"
            patch: '[{"op": "add", "path": "/metadata/labels/regex", "value": "yes"}]'
          - target:
              labelSelector: "tier in (backend,db),!legacy"
              annotationSelector: team=a
            patch: '[{"op": "add", "path": "/metadata/labels/selected", "value": "yes"}]'
          - target:
              group: helm.toolkit.fluxcd.io
              version: v2
              namespace: apps
            patch: '[{"op": "add", "path": "/metadata/labels/grouped", "value": "yes"}]'
      `),
      'objects.yaml': `${HELMRELEASE}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-one\n  labels:\n    tier: db\n    legacy: "1"\n  annotations:\n    team: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-two\n  labels:\n    tier: web\n`,
    },
  },
  {
    name: 'a patch whose target matches nothing is accepted (ours warns)',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: StatefulSet\n    patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 3\n'),
      'deployment.yaml': DEPLOYMENT,
    },
    warning: { phrase: 'patch target matches no resource', file: 'kustomization.yaml', line: 'kind: StatefulSet' },
  },
  {
    name: 'a strategic-merge patch without target naming no object',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - path: patch.yaml\n'), 'deployment.yaml': DEPLOYMENT, 'patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nope\nspec:\n  replicas: 2\n' },
    error: { phrase: 'no resource matches strategic merge patch "Deployment.v1.apps/nope.[noNs]"', file: 'patch.yaml', line: 'apiVersion: apps/v1' },
  },
  {
    name: 'an invalid patch',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      just a string\n'), 'deployment.yaml': DEPLOYMENT },
    error: { phrase: 'unable to parse SM or JSON patch', file: 'kustomization.yaml', line: 'just a string' },
  },
  {
    name: 'name changes allowed by options',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: Deployment\n    options:\n      allowNameChange: true\n    patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: renamed\n'),
      'deployment.yaml': DEPLOYMENT,
    },
  },
  {
    name: 'finalizers merge as a set',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - cm.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: cm\n        finalizers: [b, c]\n'),
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  finalizers: [a, b]\n',
    },
  },
]);

cases('JSON 6902 patches', [
  {
    name: 'add, remove, replace, move, copy, test; `-` appends, negative indexes, YAML 1.1 values',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - deployment.yaml
        patches:
          - target:
              kind: Deployment
              name: web
            patch: |-
              - op: test
                path: /spec/replicas
                value: 1
              - op: add
                path: /spec/template/spec/containers/-
                value:
                  name: added
                  image: alpine
              - op: replace
                path: /spec/template/spec/containers/0/image
                value: nginx:1.27
              - op: remove
                path: /spec/template/spec/containers/-1/image
              - op: copy
                from: /metadata/labels
                path: /metadata/annotations
              - op: move
                from: /spec/template/spec/volumes
                path: /spec/template/spec/oldVolumes
              - op: add
                path: /metadata/labels/enabled
                value: yes
              - op: replace
                path: /metadata/labels/missing
                value: "added by replace"
              - op: add
                path: /metadata/labels/a~1b
                value: slash
      `),
      'deployment.yaml': DEPLOYMENT,
    },
  },
  {
    name: 'patchesJson6902 with a patch file',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatchesJson6902:\n  - target:\n      group: apps\n      version: v1\n      kind: Deployment\n      name: web\n    path: ops.yaml\n'),
      'deployment.yaml': DEPLOYMENT,
      'ops.yaml': '- op: replace\n  path: /spec/replicas\n  value: 5\n',
    },
  },
  {
    name: 'removing a missing field',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: remove\n        path: /spec/missing\n'), 'deployment.yaml': DEPLOYMENT },
    error: { phrase: 'Unable to remove nonexistent key: missing: missing value', file: 'kustomization.yaml', line: '- op: remove' },
  },
  {
    name: 'adding under a missing parent',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /spec/nothing/here\n        value: 1\n'), 'deployment.yaml': DEPLOYMENT },
    error: { phrase: 'add operation does not apply: doc is missing path: "/spec/nothing/here"', file: 'kustomization.yaml', line: '- op: add' },
  },
  {
    name: 'a JSON patch without a target',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\npatches:\n  - patch: |-\n      - op: add\n        path: /spec/replicas\n        value: 1\n'), 'deployment.yaml': DEPLOYMENT },
    error: { phrase: 'must specify a target for JSON patch', file: 'kustomization.yaml', line: '- patch: |-' },
  },
]);

cases('namespace', [
  {
    name: 'namespaced and cluster-scoped objects, a Namespace renamed, binding subjects named default, a custom kind',
    files: {
      'kustomization.yaml': kustomization('namespace: target\nresources:\n  - objects.yaml\n'),
      'objects.yaml': `
        apiVersion: v1
        kind: Namespace
        metadata:
          name: placeholder
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata:
          name: reader
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata:
          name: readers
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: ClusterRole
          name: reader
        subjects:
          - kind: ServiceAccount
            name: default
            namespace: elsewhere
          - kind: ServiceAccount
            name: other
            namespace: elsewhere
        ---
        apiVersion: cert-manager.io/v1
        kind: ClusterIssuer
        metadata:
          name: letsencrypt
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: cm
          namespace: was-here
      `,
    },
  },
  {
    name: 'two objects that end up with the same id',
    files: {
      'kustomization.yaml': kustomization('namespace: one\nresources:\n  - objects.yaml\n'),
      'objects.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: b\n',
    },
    error: { phrase: 'namespace transformation produces ID conflict', file: 'kustomization.yaml', line: 'namespace: one' },
  },
  {
    name: 'one file included by two kustomizations with different namespaces gives two objects',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - a\n  - b\n'),
      'a/kustomization.yaml': kustomization('namespace: a\nresources:\n  - ../shared/cm.yaml\n'),
      'b/kustomization.yaml': kustomization('namespace: b\nresources:\n  - ../shared/cm.yaml\n'),
      'shared/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n',
    },
  },
]);

cases('name prefix and suffix, and references to renamed objects', [
  {
    name: 'prefix and suffix in a base and an overlay; references in pod specs, RBAC, HPA, Ingress, PVC updated',
    files: {
      'kustomization.yaml': kustomization('namePrefix: prod-\nresources:\n  - base\n  - ingress.yaml\n'),
      'ingress.yaml': `
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
        spec:
          tls:
            - secretName: tls
          rules:
            - http:
                paths:
                  - path: /
                    pathType: Prefix
                    backend:
                      service:
                        name: web
                        port:
                          number: 80
      `,
      'base/kustomization.yaml': kustomization('nameSuffix: -v1\nresources:\n  - deployment.yaml\n  - service.yaml\n  - rbac.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - A=1\nsecretGenerator:\n  - name: tls\n    literals:\n      - tls.crt=x\n'),
      'base/deployment.yaml': `${DEPLOYMENT}        serviceAccountName: runner\n`,
      'base/service.yaml': SERVICE,
      'base/rbac.yaml': `
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: runner
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata:
          name: reader
        rules:
          - apiGroups: [""]
            resources: [configmaps]
            resourceNames: [settings]
            verbs: [get]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata:
          name: reader
        roleRef:
          apiGroup: rbac.authorization.k8s.io
          kind: Role
          name: reader
        subjects:
          - kind: ServiceAccount
            name: runner
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: web
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: web
          minReplicas: 1
          maxReplicas: 3
        ---
        apiVersion: v1
        kind: Namespace
        metadata:
          name: not-renamed
      `,
    },
  },
]);

cases('labels and annotations', [
  {
    name: 'commonLabels reach selectors and templates; labels entries with and without includeSelectors/includeTemplates; commonAnnotations',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - deployment.yaml
          - service.yaml
          - cronjob.yaml
          - helmrelease.yaml
        commonLabels:
          common: label
        labels:
          - pairs:
              plain: only-metadata
          - pairs:
              templated: yes-please
            includeTemplates: true
          - pairs:
              selected: everywhere
            includeSelectors: true
          - pairs:
              custom: field
            fields:
              - path: spec/values/labels
                kind: HelmRelease
                create: true
        commonAnnotations:
          note: "42"
      `),
      'deployment.yaml': DEPLOYMENT,
      'service.yaml': SERVICE,
      'cronjob.yaml': `
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: job
        spec:
          schedule: "* * * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                    - name: c
                      image: busybox
      `,
      'helmrelease.yaml': HELMRELEASE,
    },
  },
]);

cases('images and replicas', [
  {
    name: 'newName, newTag, digest, tagSuffix; images in any containers list of custom resources; a registry with a port',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - deployment.yaml
          - custom.yaml
        images:
          - name: nginx
            newTag: "1.27"
          - name: busybox
            newName: registry.local:5000/tools/busybox
            digest: sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
          - name: redis
            tagSuffix: -alpine
          - name: ghcr.io/org/.*
            newTag: pinned
      `),
      'deployment.yaml': DEPLOYMENT,
      'custom.yaml': `
        apiVersion: example.com/v1
        kind: Workload
        metadata:
          name: custom
        spec:
          deep:
            containers:
              - name: a
                image: redis:7
              - name: b
                image: ghcr.io/org/tool:1
            initContainers:
              - name: c
                image: nginx
      `,
    },
  },
  {
    name: 'replicas of a Deployment and a StatefulSet',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\n  - statefulset.yaml\nreplicas:\n  - name: web\n    count: 4\n  - name: db\n    count: 0\n'),
      'deployment.yaml': DEPLOYMENT,
      'statefulset.yaml': 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n        - name: db\n          image: postgres\n',
    },
  },
  {
    name: 'replicas naming no object',
    files: { 'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\nreplicas:\n  - name: nothing\n    count: 2\n'), 'deployment.yaml': DEPLOYMENT },
    error: { phrase: 'resource with name nothing does not match a config with the following GVK', file: 'kustomization.yaml', line: '- name: nothing' },
  },
]);

cases('replacements', [
  {
    name: 'a field copied into targets, with delimiter, index, create, select and reject, and a replacement file',
    files: {
      'kustomization.yaml': kustomization(`
        resources:
          - objects.yaml
        replacements:
          - source:
              kind: ConfigMap
              name: source
              fieldPath: data.host
            targets:
              - select:
                  kind: Deployment
                fieldPaths:
                  - spec.template.spec.containers.[name=app].env.[name=A].value
                  - spec.template.metadata.annotations.host
                options:
                  create: true
              - select:
                  kind: Service
                reject:
                  - name: other
                fieldPaths:
                  - metadata.annotations.url
                options:
                  create: true
          - source:
              kind: ConfigMap
              name: source
              fieldPath: data.image
              options:
                delimiter: ":"
                index: 1
            targets:
              - select:
                  kind: Deployment
                fieldPaths:
                  - spec.template.spec.containers.0.image
                options:
                  delimiter: ":"
                  index: 1
          - path: replacement.yaml
      `),
      'replacement.yaml': `
        source:
          kind: Namespace
          fieldPath: metadata.name
        targets:
          - select:
              kind: ConfigMap
            fieldPaths:
              - data.namespace
            options:
              create: true
      `,
      'objects.yaml': `${DEPLOYMENT}---\n${dedent(SERVICE)}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: other\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: source\ndata:\n  host: example.com\n  image: nginx:9.9\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n`,
    },
  },
  {
    name: 'a source that selects nothing',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\nreplacements:\n  - source:\n      kind: ConfigMap\n      name: missing\n    targets:\n      - select:\n          kind: Deployment\n'),
      'deployment.yaml': DEPLOYMENT,
    },
    error: { phrase: 'nothing selected by ConfigMap.[noVer].[noGrp]/missing.[noNs]', file: 'kustomization.yaml', line: '- source:' },
  },
]);

cases('components and configurations', [
  {
    name: 'a component adds objects and patches those of the kustomization including it',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - deployment.yaml\ncomponents:\n  - ../components/extra\n'),
      'deployment.yaml': DEPLOYMENT,
      '../components/extra/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - cm.yaml\npatches:\n  - target:\n      kind: Deployment\n    patch: |-\n      - op: add\n        path: /metadata/labels/component\n        value: added\n',
      '../components/extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-component\n',
    },
    root: '.',
  },
  {
    name: 'a configuration teaching a name reference in a custom kind',
    files: {
      'kustomization.yaml': kustomization('resources:\n  - helmrelease.yaml\nconfigurations:\n  - config.yaml\nconfigMapGenerator:\n  - name: values\n    namespace: apps\n    literals:\n      - a=b\n'),
      'config.yaml': 'nameReference:\n  - kind: ConfigMap\n    version: v1\n    fieldSpecs:\n      - path: spec/valuesFrom/name\n        kind: HelmRelease\n',
      'helmrelease.yaml': `${HELMRELEASE}  valuesFrom:\n    - kind: ConfigMap\n      name: values\n`,
    },
  },
]);
