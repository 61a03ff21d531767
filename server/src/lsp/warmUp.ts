import type { Engine } from '../engine';

/** Groups of objects in the synthetic file: enough for V8 to optimise the parser and validator paths. */
const GROUPS = 60;

/**
 * One tenant's worth of typical GitOps YAML: comments, quoted and plain scalars, block and flow
 * collections, block scalars, nested lists of mappings, Helm values of any shape.
 */
function group(i: number): string {
  return [
    `# Tenant ${i}\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${i}\n  labels:\n    tier: "${i % 3}"\n    toolkit.fluxcd.io/tenant: team-${i}\n`,
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: app-${i}\n  namespace: team-${i}\nspec:\n  interval: ${i + 1}m\n  url: https://example.com/app-${i}.git\n  ref:\n    branch: main # tracked branch\n  ignore: |\n    /*\n    !/deploy\n`,
    `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app-${i}\n  namespace: team-${i}\nspec:\n  interval: 10m\n  retryInterval: 2m\n  path: "./apps/${i}"\n  prune: ${i % 2 === 0}\n  dependsOn:\n    - name: infra\n  sourceRef:\n    kind: GitRepository\n    name: app-${i}\n  postBuild:\n    substitute:\n      cluster: 'prod-${i}'\n  timeout: 5m\n`,
    `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: charts-${i}, namespace: team-${i}}\nspec:\n  interval: 1h\n  url: https://charts.example.com/${i}\n`,
    `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app-${i}\n  namespace: team-${i}\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: app\n      version: ">=1.${i}.0 <2.0.0"\n      sourceRef:\n        kind: HelmRepository\n        name: charts-${i}\n  install:\n    remediation: {retries: 3}\n  values:\n    replicaCount: ${i % 4}\n    image: {repository: ghcr.io/example/app, tag: "1.${i}.0"}\n    ingress:\n      enabled: true\n      hosts:\n        - host: app-${i}.example.com\n          paths: [/, /api]\n    resources:\n      limits: {cpu: 500m, memory: 256Mi}\n`,
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  replicas: ${i % 3}\n  selector:\n    matchLabels:\n      app: a${i}\n  template:\n    metadata:\n      labels:\n        app: a${i}\n    spec:\n      containers:\n        - name: web\n          image: "nginx:1.${i}" # {"$imagepolicy": "team-${i}:app"}\n          args: ["--port", "8080"]\n          ports:\n            - containerPort: 8080\n          env:\n            - name: MODE\n              value: ${i % 2 ? '"fast"' : 'slow'}\n`,
  ].join('---\n');
}

/**
 * Runs the parser, the validator and completion over synthetic multi-document files in a
 * throwaway engine that shares the real engine's CRD objects (not copies), so the first real file
 * the user opens is handled by optimised code rather than cold code (a cold 12,000-line file takes
 * about 1.6× as long). Costs a few hundred milliseconds of CPU once, from the server's start;
 * touches nothing of the real engine (no index entries, no schema sources). The host creates the
 * throwaway engine (`createEngine`); it has the Flux features like any engine, so their code is
 * warm too. It is a sequence of small steps: the host yields to its event loop between them, so a
 * document opened meanwhile is validated at once instead of waiting for the whole warm-up.
 */
export function* warmUpSteps(createEngine: () => Engine, crds: () => readonly unknown[]): Generator<void, void, void> {
  const uri = 'untitled:warm-up.yaml';
  const engine = createEngine();
  let known: readonly unknown[] = [];
  // One group per step: a step stays a few milliseconds, so a message arriving meanwhile waits no longer.
  for (let i = 0; i < GROUPS; i++) {
    // CRDs loaded while the warm-up runs (it starts before the CRD paths are read) serve the next steps.
    const now = crds();
    if (now.length !== known.length) engine.schemas.setPaths((known = now));
    // Each step replaces the text: every step costs the same, whatever came before.
    engine.openDocument(uri, group(i), i + 1);
    engine.diagnostics(uri);
    engine.completion(uri, { line: 14, character: 2 });
    yield;
  }
}

/**
 * Runs the warm-up from now on, one small step per event-loop turn: LSP messages, handled in their
 * own turns, never wait for the whole warm-up. A failure ends it (logged); the server goes on.
 */
export function startWarmUp(createEngine: () => Engine, crds: () => readonly unknown[], log: (message: string) => void): void {
  const steps = warmUpSteps(createEngine, crds);
  const step = (): void => {
    try {
      if (!steps.next().done) setImmediate(step);
    } catch (error) {
      log(`warm-up failed: ${String(error)}`);
    }
  };
  setImmediate(step);
}
