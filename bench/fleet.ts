// Generates the benchmark workload: a realistic multi-document Flux fleet file (about 12,000 lines,
// 430 Flux objects valid against the Flux v2.9 CRDs and referring only to each other, plus their
// Namespaces) with three seeded
// schema errors, and the positions the benchmark edits and completes at. Seeded, so every run and
// both servers see the same text.
import { seededRandom } from '../test/support/seededRandom';

/** A single-line replacement: the value after `key: ` on `line` becomes `text`. */
export interface Edit {
  line: number;
  character: number;
  endCharacter: number;
  text: string;
  what: string;
  /** How this edit changes the number of schema errors. */
  errorDelta: number;
}

/** Where the benchmark inserts an indented blank line and asks for completion. */
export interface CompletionSpot {
  line: number;
  indent: number;
  what: string;
}

export interface Fleet {
  text: string;
  lineCount: number;
  fluxObjects: number;
  otherObjects: number;
  kinds: Record<string, number>;
  /** Lines (0-based) holding a seeded schema error, with what is wrong there. */
  seededErrors: { line: number; what: string }[];
  edits: Edit[];
  completionSpots: CompletionSpot[];
}

const APPS = ['podinfo', 'billing', 'checkout', 'search', 'catalog', 'ledger', 'gateway', 'auth', 'metrics', 'mailer'];
const TEAMS = ['payments', 'platform', 'growth', 'data', 'identity', 'commerce', 'infra', 'mobile'];
const CHARTS = ['nginx', 'redis', 'postgresql', 'kafka', 'grafana', 'prometheus', 'cert-manager', 'podinfo'];

/** Appends lines and remembers where interesting lines are. */
class Writer {
  readonly lines: string[] = [];
  add(...lines: string[]): number {
    const first = this.lines.length;
    this.lines.push(...lines);
    return first;
  }
  doc(): void {
    if (this.lines.length) this.lines.push('---');
  }
}

interface Marks {
  /** Line of the first key under `spec:` of an object, with the object kind. */
  specChildren: { line: number; kind: string; indent: number }[];
  /** Lines of `key: value` pairs that edits may replace. */
  values: { line: number; key: string; kind: string }[];
}

export function generateFleet(seed = 20261121, groups = 39): Fleet {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const w = new Writer();
  const marks: Marks = { specChildren: [], values: [] };
  const kinds: Record<string, number> = {};
  const count = (kind: string) => (kinds[kind] = (kinds[kind] ?? 0) + 1);
  const interval = () => `${pick([1, 5, 10, 15, 30, 60])}m`;
  // Called while building the arguments of w.add(...), so the line is found once the text exists.
  const value = (kind: string, key: string, text: string) => {
    marks.values.push({ line: w.lines.length, key, kind });
    return text;
  };
  const spec = (kind: string, indent = 2) => marks.specChildren.push({ line: w.lines.length, kind, indent });

  let team = '';
  for (let g = 0; g < groups; g++) {
    // Two consecutive groups share a tenant namespace: the Provider of the first serves the Alert of
    // the second, so every reference in the fleet resolves (Secrets excepted, as in real repos).
    if (g % 2 === 0) team = `${pick(TEAMS)}-${g}`;
    const app = `${pick(APPS)}-${g}`;
    const ns = team;
    const header = (apiVersion: string, kind: string, name: string) => {
      w.doc();
      count(kind);
      w.add(`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, `  namespace: ${ns}`);
      if (random() < 0.3) w.add('  labels:', `    app.kubernetes.io/part-of: ${app}`, `    team: ${team}`);
    };

    if (g % 2 === 0) {
      w.doc();
      count('Namespace');
      w.add('apiVersion: v1', 'kind: Namespace', 'metadata:', `  name: ${ns}`, '  labels:', `    toolkit.fluxcd.io/tenant: ${team}`);
    }

    header('source.toolkit.fluxcd.io/v1', 'GitRepository', app);
    w.add('spec:');
    spec('GitRepository');
    w.add(value('GitRepository', 'interval', `  interval: ${interval()}`), `  url: https://github.com/example/${app}`);
    w.add('  ref:', `    branch: ${pick(['main', 'release', 'production'])}`, '  secretRef:', `    name: ${app}-git-auth`);
    if (random() < 0.5) w.add('  ignore: |', '    /*', '    !/deploy', `  timeout: ${int(30, 90)}s`);

    header('source.toolkit.fluxcd.io/v1', 'HelmRepository', `${app}-charts`);
    w.add('spec:', value('HelmRepository', 'interval', `  interval: ${interval()}`), `  url: https://charts.example.com/${team}`);
    if (random() < 0.3) w.add('  timeout: 60s');

    header('source.toolkit.fluxcd.io/v1', 'OCIRepository', `${app}-manifests`);
    w.add('spec:');
    spec('OCIRepository');
    w.add(`  interval: ${interval()}`, `  url: oci://ghcr.io/example/${app}-manifests`, '  ref:', `    semver: ">=1.${int(0, 9)}.0"`);
    w.add('  provider: generic');

    for (const part of ['infra', 'apps']) {
      header('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', `${app}-${part}`);
      w.add('spec:');
      spec('Kustomization');
      w.add(`  interval: ${interval()}`, '  retryInterval: 2m', '  timeout: 5m', value('Kustomization', 'prune', '  prune: true'));
      w.add(`  path: ./${part}/${team}/${app}`, '  sourceRef:', '    kind: GitRepository', `    name: ${app}`);
      if (part === 'apps') {
        w.add('  dependsOn:', `    - name: ${app}-infra`, '  healthChecks:', '    - apiVersion: apps/v1', '      kind: Deployment', `      name: ${app}`, `      namespace: ${ns}`);
      }
      w.add('  wait: true');
      w.add('  postBuild:', '    substitute:', `      cluster_name: ${pick(['staging', 'production'])}`, `      team: ${team}`);
      if (random() < 0.5) w.add('  decryption:', '    provider: sops', '    secretRef:', '      name: sops-age');
      if (random() < 0.4) {
        w.add('  patches:', '    - patch: |', '        - op: replace', '          path: /spec/replicas', `          value: ${int(1, 5)}`);
        w.add('      target:', '        kind: Deployment', `        name: ${app}`);
      }
    }

    for (let r = 0; r < 2; r++) {
      const release = r === 0 ? app : `${app}-${pick(CHARTS)}`;
      header('helm.toolkit.fluxcd.io/v2', 'HelmRelease', release);
      w.add('spec:', value('HelmRelease', 'interval', `  interval: ${interval()}`), '  releaseName: ' + release, '  chart:', '    spec:');
      spec('HelmRelease', 6);
      w.add(`      chart: ${pick(CHARTS)}`, value('HelmRelease', 'version', `      version: "${int(1, 20)}.${int(0, 9)}.x"`));
      w.add('      sourceRef:', '        kind: HelmRepository', `        name: ${app}-charts`, '      interval: 12h');
      w.add('  install:', '    remediation:', '      retries: 3', '  upgrade:', '    remediation:', '      retries: 3', '      remediateLastFailure: true');
      w.add('  driftDetection:', '    mode: enabled', '  rollback:', '    cleanupOnFail: true', '    timeout: 10m', '  test:', `    enable: ${random() < 0.5}`);
      w.add('  values:', `    replicaCount: ${int(1, 6)}`, '    image:', `      repository: ghcr.io/example/${app}`, `      tag: "${int(1, 9)}.${int(0, 30)}.${int(0, 9)}"`);
      w.add('      pullPolicy: IfNotPresent', '    resources:', '      limits:', `        cpu: ${int(1, 4) * 250}m`, `        memory: ${int(1, 8) * 128}Mi`);
      w.add('      requests:', `        cpu: ${int(1, 4) * 50}m`, `        memory: ${int(1, 4) * 64}Mi`);
      // Infrastructure charts keep short values; the application releases carry the long ones.
      if (r === 0) {
        w.add('    ingress:', `      enabled: ${random() < 0.5}`, '      className: nginx', '      hosts:');
        for (let h = 0, hosts = int(1, 2); h < hosts; h++) {
          w.add(`        - host: ${app}-${h}.example.com`, '          paths:', '            - path: /', '              pathType: Prefix');
        }
        w.add('    env:');
        for (let e = 0, envs = int(2, 7); e < envs; e++) w.add(`      - name: ${pick(['LOG', 'FEATURE', 'CACHE', 'DB', 'QUEUE'])}_${e}`, `        value: "${int(0, 9999)}"`);
        w.add('    podAnnotations:', '      prometheus.io/scrape: "true"', `      prometheus.io/port: "${int(8000, 9999)}"`);
        w.add('    service:', '      type: ClusterIP', `      port: ${int(80, 9000)}`, '    securityContext:', '      runAsNonRoot: true', `      runAsUser: ${int(1000, 65000)}`, '      readOnlyRootFilesystem: true');
        w.add('    livenessProbe:', '      httpGet:', '        path: /healthz', '        port: http', `      initialDelaySeconds: ${int(1, 30)}`, '    readinessProbe:', '      httpGet:', '        path: /readyz', '        port: http');
        w.add('    nodeSelector:', '      kubernetes.io/os: linux', '    tolerations:', '      - key: dedicated', '        operator: Equal', `        value: ${team}`, '        effect: NoSchedule');
      }
    }

    header('image.toolkit.fluxcd.io/v1', 'ImageRepository', app);
    w.add('spec:', `  image: ghcr.io/example/${app}`, `  interval: ${interval()}`, '  provider: generic');
    header('image.toolkit.fluxcd.io/v1', 'ImagePolicy', app);
    w.add('spec:');
    spec('ImagePolicy');
    w.add('  imageRepositoryRef:', `    name: ${app}`, '  policy:', '    semver:', `      range: ">=${int(1, 3)}.0.0 <${int(4, 9)}.0.0"`);
    header('image.toolkit.fluxcd.io/v1', 'ImageUpdateAutomation', app);
    w.add('spec:', `  interval: ${interval()}`, '  sourceRef:', '    kind: GitRepository', `    name: ${app}`, '  git:', '    checkout:', '      ref:', '        branch: main');
    w.add('    commit:', '      author:', '        email: fluxcdbot@example.com', '        name: fluxcdbot', '      messageTemplate: "Update images"');
    w.add('    push:', '      branch: main', '  update:', `    path: ./apps/${team}`, '    strategy: Setters');

    if (g % 2 === 0) {
      header('notification.toolkit.fluxcd.io/v1beta3', 'Provider', `${team}-slack`);
      w.add('spec:', value('Provider', 'type', '  type: slack'), `  channel: ${team}-alerts`, '  secretRef:', `    name: ${team}-slack-url`);
    } else {
      header('notification.toolkit.fluxcd.io/v1beta3', 'Alert', `${app}-alerts`);
      w.add('spec:', '  providerRef:', `    name: ${team}-slack`, '  eventSeverity: info', '  eventSources:');
      w.add('    - kind: Kustomization', '      name: "*"', '    - kind: HelmRelease', `      name: ${app}`, '    - kind: GitRepository', `      name: ${app}`);
      w.add('  exclusionList:', '    - ".*upgrade.*has.*started"');
    }
  }

  for (const mark of marks.values) {
    while (!w.lines[mark.line]!.trimStart().startsWith(`${mark.key}:`)) mark.line++;
  }
  const seededErrors = seedErrors(w.lines, marks);
  const edits = chooseEdits(w.lines, marks);
  const completionSpots = chooseCompletionSpots(marks);
  const fluxObjects = Object.entries(kinds).filter(([k]) => k !== 'Namespace').reduce((n, [, v]) => n + v, 0);
  return {
    text: w.lines.join('\n') + '\n',
    lineCount: w.lines.length,
    fluxObjects,
    otherObjects: kinds['Namespace'] ?? 0,
    kinds,
    seededErrors,
    edits,
    completionSpots,
  };
}

/** Three real mistakes a schema-aware server must report: a pattern, a type and an enum error. */
function seedErrors(lines: string[], marks: Marks): { line: number; what: string }[] {
  const at = (kind: string, key: string, fraction: number) => {
    const candidates = marks.values.filter((v) => v.kind === kind && v.key === key);
    return candidates[Math.floor(candidates.length * fraction)]!;
  };
  const interval = at('GitRepository', 'interval', 0.2);
  lines[interval.line] = '  interval: 5 minutes';
  const prune = at('Kustomization', 'prune', 0.6);
  lines[prune.line] = '  prune: "yes"';
  const type = at('Provider', 'type', 0.85);
  lines[type.line] = '  type: pigeon';
  // Taken out so edits never touch the seeded lines.
  marks.values = marks.values.filter((v) => ![interval, prune, type].includes(v));
  return [
    { line: interval.line, what: 'GitRepository spec.interval "5 minutes" (pattern)' },
    { line: prune.line, what: 'Kustomization spec.prune "yes" (type: string, not boolean)' },
    { line: type.line, what: 'Provider spec.type "pigeon" (not in enum)' },
  ];
}

/** Five single-line edits spread over the file; the third adds an error and the fourth removes one. */
function chooseEdits(lines: string[], marks: Marks): Edit[] {
  const pickValue = (kind: string, key: string, fraction: number) => {
    const candidates = marks.values.filter((v) => v.kind === kind && v.key === key);
    return candidates[Math.floor(candidates.length * fraction)]!.line;
  };
  const valueEdit = (line: number, text: string, what: string, errorDelta: number): Edit => {
    const current = lines[line]!;
    const character = current.indexOf(': ') + 2;
    return { line, character, endCharacter: current.length, text, what, errorDelta };
  };
  return [
    valueEdit(pickValue('HelmRelease', 'version', 0.1), '"21.4.x"', 'HelmRelease chart version', 0),
    valueEdit(pickValue('HelmRelease', 'interval', 0.35), '45m', 'HelmRelease interval', 0),
    valueEdit(pickValue('Kustomization', 'prune', 0.5), 'sometimes', 'Kustomization prune → "sometimes" (new type error)', 1),
    valueEdit(pickValue('HelmRepository', 'interval', 0.7), '2 hours', 'HelmRepository interval → "2 hours" (new pattern error)', 1),
    valueEdit(pickValue('HelmRelease', 'version', 0.95), '"3.2.1"', 'HelmRelease chart version (end of file)', 0),
  ];
}

/** Completion inside `spec` of several kinds, spread over the file. */
function chooseCompletionSpots(marks: Marks): CompletionSpot[] {
  const wanted: [string, number][] = [
    ['GitRepository', 0.15],
    ['Kustomization', 0.4],
    ['HelmRelease', 0.55],
    ['ImagePolicy', 0.75],
    ['OCIRepository', 0.9],
  ];
  return wanted
    .map(([kind, fraction]) => {
      const candidates = marks.specChildren.filter((s) => s.kind === kind);
      const spot = candidates[Math.floor(candidates.length * fraction)]!;
      return { line: spot.line, indent: spot.indent, what: kind === 'HelmRelease' ? 'HelmRelease spec.chart.spec' : `${kind} spec` };
    })
    .sort((a, b) => a.line - b.line);
}
