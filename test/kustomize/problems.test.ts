// What the build reports besides objects: features it leaves out (a note on the line that uses them, the
// rest still built), and bad input: a located error, never an exception or a hang.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LineIndex } from '../../server/src/documents/lineIndex';
import { kustomizeBuild } from '../../server/src/kustomize/build';
import type { KustomizeReader } from '../../server/src/kustomize/files';
import { dedent, diskReader, kustomizationFolders, memoryReader, reposDir } from './support';

const ROOT = '/repo';

function lineOf(files: Record<string, string>, origin: { file: string; start: number }): string {
  const index = new LineIndex(files[origin.file]!);
  return index.lineText(index.lineOf(origin.start)).trim();
}

describe('features left out', () => {
  test('remote resources, helmCharts and plugins are noted where written; everything else is built', () => {
    const files = {
      [`${ROOT}/kustomization.yaml`]: dedent(`
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - github.com/fluxcd/flux2/manifests/install?ref=v2.7.5
          - https://example.com/manifest.yaml
          - cm.yaml
        helmCharts:
          - name: cilium
            repo: https://helm.cilium.io
        transformers:
          - transformer.yaml
        vars:
          - name: X
            objref:
              kind: ConfigMap
              name: cm
              apiVersion: v1
      `),
      [`${ROOT}/cm.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    };
    const result = kustomizeBuild(memoryReader(files), ROOT);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.objects.map((o) => o.kind),
      ['ConfigMap'],
    );
    assert.deepEqual(
      result.unsupported.map((n) => [n.feature, lineOf(files, n.origin)]),
      [
        ['helmCharts', '- name: cilium'],
        ['transformers', '- transformer.yaml'],
        ['vars', '- name: X'],
        ['remote resource', '- github.com/fluxcd/flux2/manifests/install?ref=v2.7.5'],
        ['remote resource', '- https://example.com/manifest.yaml'],
      ],
    );
  });
});

describe('bad input', () => {
  test('an alias bomb is an error, not a hang', () => {
    const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const files = {
      [`${ROOT}/kustomization.yaml`]: 'resources:\n  - bomb.yaml\n',
      [`${ROOT}/bomb.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  ${levels.join('\n  ')}\n`,
    };
    const started = Date.now();
    const result = kustomizeBuild(memoryReader(files), ROOT);
    assert.ok(Date.now() - started < 10_000, 'bounded time');
    assert.match(result.problems[0]!.message, /too many nodes through aliases/);
  });

  test('a chain of 300 nested kustomizations builds', () => {
    const files: Record<string, string> = {};
    let dir = ROOT;
    for (let i = 0; i < 300; i++) {
      files[`${dir}/kustomization.yaml`] = `resources:\n  - cm.yaml\n  - next\n`;
      files[`${dir}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n`;
      dir = `${dir}/next`;
    }
    files[`${dir}/kustomization.yaml`] = 'resources: []\nnamespace: end\n';
    const result = kustomizeBuild(memoryReader(files), ROOT);
    assert.deepEqual(result.problems, []);
    assert.equal(result.objects.length, 300);
  });

  test('kustomization files that are not mappings, or not kustomizations', () => {
    const cases: [string, RegExp][] = [
      ['', /kustomization\.yaml is empty/],
      ['apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n', /kustomization\.yaml is empty/],
      ['- a\n- b\n', /cannot unmarshal array into Go value of type types\.Kustomization/],
      ['kind: Deployment\nresources: []\n', /kind should be Kustomization or Component/],
      ['resources: cm.yaml\n', /cannot unmarshal string into Go struct field Kustomization\.resources of type \[\]string/],
      ['commonLabels:\n  enabled: yes\n', /cannot unmarshal bool into Go struct field Kustomization\.commonLabels of type string/],
      ['resources: [\n', /MalformedYAMLError/],
    ];
    for (const [text, expected] of cases) {
      const result = kustomizeBuild(memoryReader({ [`${ROOT}/kustomization.yaml`]: text, [`${ROOT}/cm.yaml`]: 'kind: ConfigMap\nmetadata:\n  name: x\n' }), ROOT);
      assert.match(result.problems[0]?.message ?? 'builds', expected, JSON.stringify(text));
      assert.equal(result.problems[0]!.origin.file, `${ROOT}/kustomization.yaml`);
    }
    assert.match(kustomizeBuild(memoryReader({}), ROOT).problems[0]!.message, /unable to find one of 'kustomization\.yaml'/);
  });

  test('truncated and corrupted kustomization files of a real repository never throw', () => {
    const folders = kustomizationFolders(join(reposDir, 'budimanjojo-home-cluster'));
    let random = 20260822;
    const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let errors = 0;
    let builds = 0;
    for (const folder of folders) {
      const file = join(folder, 'kustomization.yaml');
      const text = diskReader.readFile(file);
      if (text === undefined) continue;
      for (let i = 0; i < 4; i++) {
        const cut = Math.floor(next() * text.length);
        const variants = [text.slice(0, cut), `${text.slice(0, cut)}\t: [\n${text.slice(cut)}`, text.slice(0, cut) + text.slice(cut).replace(/^ {2}/gm, ' ')];
        for (const variant of variants) {
          const reader: KustomizeReader = { ...diskReader, readFile: (f) => (f === file ? variant : diskReader.readFile(f)) };
          const result = kustomizeBuild(reader, folder);
          builds++;
          if (result.problems.some((p) => p.severity === 'error')) errors++;
        }
      }
    }
    assert.ok(builds > 100, `${builds} builds`);
    assert.ok(errors > 0, 'some corruptions are errors');
  });
});
