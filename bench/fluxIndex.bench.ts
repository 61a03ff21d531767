// The Flux workspace index on a generated 500-file repository shaped like a real fleet: one Flux
// Kustomization per tenant (spec.path into its folder, dependsOn the previous tenant, postBuild
// variables), each tenant folder a kustomization.yaml tree with a HelmRepository, a HelmRelease, an
// image policy and a Deployment carrying `$imagepolicy` markers and `${var}` substitutions.
// Measured in process: the scan (read + parse + object index), then building the Flux model
// (kustomize trees, namespaces, references, cycles), then every file's diagnostics. Target: the
// index (scan + model) under 1 s. The repository has exactly one seeded Flux error per 50 tenants
// (a dependsOn naming itself), so a model that misses the graph is caught.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Engine } from '../server/src/engine';
import { nodeFileSystem } from '../server/src/workspace/fileSystem';
import { median, round, table } from './report';

const FILES = 500;
const FILES_PER_TENANT = 8;
const RUNS = 3;
const TARGET_MS = 1000;

function tenantFiles(i: number): Record<string, string> {
  const t = `team-${i}`;
  const depends = i % 50 === 0 ? t : `team-${Math.max(i - 1, 0)}`;
  return {
    [`clusters/prod/${t}.yaml`]: `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${t}
  namespace: flux-system
spec:
  interval: 10m
  timeout: 5m
  retryInterval: 1m
  dependsOn:
    - name: ${depends}
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./tenants/${t}
  prune: true
  postBuild:
    substitute:
      tenant: ${t}
`,
    [`tenants/${t}/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: ${t}
resources:
  - repository.yaml
  - release.yaml
  - images.yaml
  - app
`,
    [`tenants/${t}/repository.yaml`]: `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: charts
spec:
  interval: 10m
  url: https://charts.example.com/${t}
`,
    [`tenants/${t}/release.yaml`]: `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: ">=1.0.0 <2.0.0"
      sourceRef:
        kind: HelmRepository
        name: charts
  install:
    remediation:
      retries: 3
  upgrade:
    remediation:
      retries: 3
`,
    [`tenants/${t}/images.yaml`]: `apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageRepository
metadata:
  name: app
spec:
  image: ghcr.io/example/${t}
  interval: 5m
---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata:
  name: app
spec:
  imageRepositoryRef:
    name: app
  policy:
    semver:
      range: ^1.2
`,
    [`tenants/${t}/app/kustomization.yaml`]: `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - deployment.yaml
  - service.yaml
`,
    [`tenants/${t}/app/deployment.yaml`]: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-\${tenant}
spec:
  selector:
    matchLabels:
      app: app
  template:
    metadata:
      labels:
        app: app
    spec:
      containers:
        - name: app
          image: ghcr.io/example/${t}:1.2.3 # {"$imagepolicy": "${t}:app"}
`,
    [`tenants/${t}/app/service.yaml`]: `apiVersion: v1
kind: Service
metadata:
  name: app
spec:
  ports:
    - port: 80
`,
  };
}

function writeRepo(dir: string): { files: number; seeded: number } {
  let files = 0;
  let seeded = 0;
  for (let i = 0; files + FILES_PER_TENANT <= FILES; i++) {
    for (const [file, text] of Object.entries(tenantFiles(i))) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
      files++;
    }
    if (i % 50 === 0) seeded++;
  }
  // Fill up to exactly FILES with plain ConfigMaps no Kustomization applies.
  for (let n = 0; files < FILES; n++, files++) {
    mkdirSync(join(dir, 'shared'), { recursive: true });
    writeFileSync(join(dir, 'shared', `config-${n}.yaml`), `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: config-${n}\n  namespace: default\ndata:\n  key: value\n`);
  }
  return { files, seeded };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-index-bench-'));
  try {
    const repo = writeRepo(dir);
    console.log(`# Flux index benchmark: ${repo.files} files, ${RUNS} runs (in process)`);
    const scans: number[] = [];
    const models: number[] = [];
    const lints: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const engine = new Engine({ fs: nodeFileSystem() });
      const model = engine.flux!;
      const t0 = performance.now();
      await engine.addWorkspaceFolder(dir);
      const t1 = performance.now();
      const references = model.references.length;
      const t2 = performance.now();
      let cycles = 0;
      let errors = 0;
      for (const uri of engine.documents.uris()) {
        const diagnostics = engine.diagnostics(uri);
        cycles += diagnostics.filter((d) => d.code === 'flux-dependency-cycle').length;
        errors += diagnostics.filter((d) => d.severity === 1).length;
      }
      const t3 = performance.now();
      scans.push(t1 - t0);
      models.push(t2 - t1);
      lints.push(t3 - t2);
      const check = cycles === repo.seeded && errors === cycles ? 'exactly the seeded self-dependencies' : `MISMATCH (${repo.seeded} seeded, ${errors} errors in all)`;
      console.log(`  run ${run + 1}: scan ${round(t1 - t0)} ms, model ${round(t2 - t1)} ms (${references} references), diagnostics ${round(t3 - t2)} ms; ${cycles} cycle errors: ${check}`);
    }
    const index = median(scans) + median(models);
    console.log('');
    console.log(
      table(
        ['metric (median)', 'flux-gitops', 'target', 'result'],
        [
          [`scan ${repo.files} files (ms)`, round(median(scans)), '', ''],
          ['build Flux model (ms)', round(median(models)), '', ''],
          ['index = scan + model (ms)', round(index), `< ${TARGET_MS}`, index < TARGET_MS ? 'PASS' : 'MISS'],
          ['diagnostics of every file (ms)', round(median(lints)), '', ''],
        ],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
