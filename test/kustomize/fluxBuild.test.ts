// Flux's part of the build (fluxBuild), on in-memory sources: the kustomization Flux generates for a folder
// without one, its ignore rules, the spec fields it writes into the kustomization, the post-build hook and
// commonMetadata. Expectations follow kustomize-controller's documented behaviour (fluxcd/pkg/kustomize's
// Generator); the kustomize part is checked against the real kustomize in fluxRepos.test.ts.
import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { LineIndex } from '../../server/src/documents/lineIndex';
import { kustomizeBuild } from '../../server/src/kustomize/build';
import { fluxBuild } from '../../server/src/kustomize/fluxBuild';
import { isMap, originAt, type Value, type ValueMap } from '../../server/src/kustomize/values';
import { parseYamlDocuments } from '../../server/src/kustomize/yamlValues';
import { dedent, memoryReader } from './support';

const ROOT = '/src';
const FLUX_FILE = `${ROOT}/clusters/prod/app.yaml`;

const configMap = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

function fluxKustomization(spec: string): string {
  return dedent(`
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: app
      namespace: flux-system
    spec:
      interval: 10m
      prune: true
      sourceRef:
        kind: GitRepository
        name: flux-system
  `) + dedent(spec).replace(/^/gm, '  ');
}

function build(files: Record<string, string>, spec: string, postBuild?: (objects: ValueMap[]) => ValueMap[]) {
  const all = { ...files, [FLUX_FILE]: fluxKustomization(spec) };
  const kustomization = parseYamlDocuments(FLUX_FILE, all[FLUX_FILE]!).documents[0]!.value as ValueMap;
  const result = fluxBuild(memoryReader(all), { sourceRoot: ROOT, kustomization, ...(postBuild ? { postBuild } : {}) });
  const names = result.objects.map((o) => `${String(o.kind)}/${String((o.metadata as ValueMap).namespace ?? '')}/${String((o.metadata as ValueMap).name)}`).sort();
  return { result, names, all };
}

function lineOf(all: Record<string, string>, origin: { file: string; start: number }): string {
  const index = new LineIndex(all[origin.file]!);
  return index.lineText(index.lineOf(origin.start)).trim();
}

describe('the kustomization Flux generates for a folder without one', () => {
  test('lists every manifest below, a sub-folder with a kustomization file as one resource, and nothing ignored', () => {
    const { result, names } = build(
      {
        [`${ROOT}/apps/a.yaml`]: configMap('a'),
        [`${ROOT}/apps/nested/b.yml`]: configMap('b'),
        [`${ROOT}/apps/nested/deeper/c.yaml`]: `${configMap('c')}---\n${configMap('c2')}`,
        [`${ROOT}/apps/sub/kustomization.yaml`]: 'resources:\n  - d.yaml\nnamePrefix: sub-\n',
        [`${ROOT}/apps/sub/d.yaml`]: configMap('d'),
        [`${ROOT}/apps/sub/not-listed.yaml`]: configMap('not-listed'),
        [`${ROOT}/apps/.sops.yaml`]: 'creation_rules:\n  - age: age1xyz\n',
        [`${ROOT}/apps/README.md`]: '# not YAML\n',
        [`${ROOT}/apps/.sourceignore`]: '# comment\nignored/\n*.draft.yaml\n',
        [`${ROOT}/apps/ignored/e.yaml`]: configMap('e'),
        [`${ROOT}/apps/f.draft.yaml`]: configMap('f'),
        [`${ROOT}/apps/g.skip.yaml`]: configMap('g'),
        [`${ROOT}/apps/.github/workflow.yaml`]: 'on: push\n',
      },
      `path: ./apps\nignore: |\n  *.skip.yaml\n`,
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(names, ['ConfigMap//a', 'ConfigMap//b', 'ConfigMap//c', 'ConfigMap//c2', 'ConfigMap//sub-d']);
  });

  test('a YAML file that is not a Kubernetes object fails the build, on that file', () => {
    const { result, all } = build({ [`${ROOT}/apps/a.yaml`]: configMap('a'), [`${ROOT}/apps/values.yaml`]: 'replicas: 2\nimage: nginx\n' }, 'path: ./apps\n');
    const error = result.problems.find((p) => p.severity === 'error')!;
    assert.match(error.message, /^failed to decode Kubernetes YAML from \/src\/apps\/values\.yaml: missing Resource metadata/);
    assert.equal(error.origin.file, `${ROOT}/apps/values.yaml`);
    assert.equal(lineOf(all, error.origin), 'replicas: 2');
  });

  test('a folder without manifests builds nothing, without error', () => {
    const { result } = build({ [`${ROOT}/apps/notes.txt`]: 'empty\n' }, 'path: ./apps\n');
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.objects, []);
  });
});

describe('spec fields Flux writes into the kustomization', () => {
  const base = {
    [`${ROOT}/apps/kustomization.yaml`]: dedent(`
      apiVersion: kustomize.config.k8s.io/v1beta1
      kind: Kustomization
      namespace: from-kustomization
      resources:
        - deployment.yaml
        - cm.yaml
      images:
        - name: nginx
          newTag: "1.0"
      patches:
        - target:
            kind: ConfigMap
            name: settings
          patch: |-
            - op: add
              path: /data/order
              value: kustomization
    `),
    [`${ROOT}/apps/deployment.yaml`]: dedent(`
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: web
      spec:
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
                image: nginx:0.1
                envFrom:
                  - configMapRef:
                      name: settings
    `),
    [`${ROOT}/apps/cm.yaml`]: configMap('settings', 'data:\n  a: b\n'),
    [`${ROOT}/components/extra/kustomization.yaml`]: 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - extra.yaml\n',
    [`${ROOT}/components/extra/extra.yaml`]: configMap('extra'),
  };

  test('targetNamespace, namePrefix, nameSuffix, images merged by name, patches after the kustomization\'s, components appended', () => {
    const { result, names, all } = build(
      base,
      dedent(`
        path: ./apps
        targetNamespace: prod
        namePrefix: p-
        nameSuffix: -s
        images:
          - name: nginx
            newTag: "2.0"
          - name: busybox
            newName: registry/busybox
        patches:
          - target:
              kind: ConfigMap
              name: settings
            patch: |-
              - op: replace
                path: /data/order
                value: flux
        components:
          - ../components/extra
          - ../components/missing
        ignoreMissingComponents: true
      `),
    );
    assert.deepEqual(result.problems, []);
    assert.deepEqual(names, ['ConfigMap/prod/p-extra-s', 'ConfigMap/prod/p-settings-s', 'Deployment/prod/p-web-s']);
    const deployment = result.objects.find((o) => o.kind === 'Deployment') as ValueMap;
    const container = ((((deployment.spec as ValueMap).template as ValueMap).spec as ValueMap).containers as ValueMap[])[0]!;
    assert.equal(container.image, 'nginx:2.0');
    assert.deepEqual(JSON.parse(JSON.stringify(container.envFrom)), [{ configMapRef: { name: 'p-settings-s' } }], 'references follow the renamed ConfigMap');
    const settings = result.objects.find((o) => (o.metadata as ValueMap).name === 'p-settings-s') as ValueMap;
    assert.equal((settings.data as ValueMap).order, 'flux');
    // Fields set from the Flux Kustomization point at it.
    assert.equal(lineOf(all, originAt(deployment, ['metadata', 'namespace'])!), 'targetNamespace: prod');
    assert.equal(lineOf(all, originAt(settings, ['data', 'order'])!), 'value: flux');
    assert.equal(lineOf(all, originAt(container as unknown as Value, ['image'])!), 'newTag: "2.0"');
  });

  test('a missing component fails unless ignoreMissingComponents; a remote one is refused', () => {
    const missing = build(base, 'path: ./apps\ncomponents:\n  - ../components/missing\n');
    const error = missing.result.problems.find((p) => p.severity === 'error')!;
    assert.match(error.message, /not a valid directory/);
    assert.equal(lineOf(missing.all, error.origin), '- ../components/missing');
    const remote = build(base, 'path: ./apps\ncomponents:\n  - https://github.com/org/repo//components/x\n');
    assert.match(remote.result.problems[0]!.message, /component path 'https:\/\/github\.com\/org\/repo\/\/components\/x' must be local and relative/);
  });

  test('unknown fields of the kustomization are dropped, with a warning (kustomize build alone fails on them)', () => {
    const files = { ...base, [`${ROOT}/apps/kustomization.yaml`]: `${base[`${ROOT}/apps/kustomization.yaml`]}unknownField: true\n` };
    const { result, all } = build(files, 'path: ./apps\n');
    assert.equal(result.problems.filter((p) => p.severity === 'error').length, 0);
    const warning = result.problems.find((p) => p.severity === 'warning')!;
    assert.match(warning.message, /unknown field "unknownField": Flux drops it/);
    assert.equal(lineOf(all, warning.origin), 'unknownField: true');
    assert.match(kustomizeBuild(memoryReader(files), `${ROOT}/apps`).problems[0]!.message, /json: unknown field "unknownField"/);
  });

  test('the post-build hook runs on the built objects, then commonMetadata is set on each', () => {
    let seen: string[] = [];
    const { result } = build(base, 'path: ./apps\ncommonMetadata:\n  labels:\n    owner: team-a\n  annotations:\n    note: "1"\n', (objects) => {
      seen = objects.map((o) => JSON.stringify((o.metadata as ValueMap).labels ?? {}));
      return objects.filter((o) => o.kind !== 'Deployment');
    });
    assert.ok(seen.every((labels) => !labels.includes('owner')), 'commonMetadata comes after the hook');
    assert.deepEqual(JSON.parse(JSON.stringify(result.objects.map((o) => [(o.metadata as ValueMap).labels, (o.metadata as ValueMap).annotations]))), [[{ owner: 'team-a' }, { note: '1' }]]);
  });

  test('spec.path that does not exist is an error on spec.path; one climbing out of the source stays in it', () => {
    const { result, all } = build(base, 'path: ./nowhere\n');
    const error = result.problems[0]!;
    assert.match(error.message, /^kustomization path not found: stat \/src\/nowhere: no such file or directory/);
    assert.equal(lineOf(all, error.origin), 'path: ./nowhere');
    const climbing = build(base, 'path: ../../apps\n');
    assert.deepEqual(climbing.result.problems, []);
    assert.ok(climbing.result.objects.length > 0 && climbing.result.objects.every((o) => isMap(o)));
  });
});
