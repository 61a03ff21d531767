/**
 * Good-practice hints for Flux objects: the pitfalls users hit in production. Each hint has an id
 * that the `fluxGitops.hints` setting can switch off. Plain functions over an object's plain value.
 */

export const PRACTICE_HINTS = {
  'kustomization-timeouts': 'Kustomization without spec.timeout or spec.retryInterval',
  'prune-crds': 'Kustomization with prune: true applying CustomResourceDefinitions',
  'helm-remediation': 'HelmRelease without install/upgrade failure handling',
  'source-interval': 'Source or image scan polling more often than once a minute',
} as const;
export type PracticeHint = keyof typeof PRACTICE_HINTS;

export interface PracticeFinding {
  readonly hint: PracticeHint;
  readonly message: string;
  /** Where to put it: the path of the field (or of its parent when the field is missing). */
  readonly path: readonly (string | number)[];
}

export interface PracticeInput {
  readonly kind: string;
  /** The object as plain values. */
  readonly value: unknown;
  /** For a Kustomization: whether what it applies includes CustomResourceDefinitions. */
  readonly appliesCrds?: boolean;
  /** Hints switched off by setting (`false`). */
  readonly enabled?: Readonly<Record<string, boolean>>;
}

const POLLING_KINDS = new Set(['GitRepository', 'HelmRepository', 'OCIRepository', 'Bucket', 'HelmChart', 'ImageRepository']);
const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, 'μs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** A Go `time.Duration` string in nanoseconds, or undefined when Go would not parse it. */
export function parseGoDuration(text: string): number | undefined {
  // `\d+(?:\.\d*)?`, not `\d+\.?\d*`: digits split two ways per number made the repeat exponential.
  const m = /^([-+]?)((?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+|0)$/.exec(text);
  if (!m) return undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_NS[part[2]!]!;
  return m[1] === '-' ? -total : total;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function kustomizationHints(spec: Record<string, unknown>, appliesCrds: boolean): PracticeFinding[] {
  const found: PracticeFinding[] = [];
  const missing = ['timeout', 'retryInterval'].filter((f) => spec[f] === undefined);
  if (missing.length) {
    found.push({
      hint: 'kustomization-timeouts',
      message: `set ${missing.map((f) => `spec.${f}`).join(' and ')}: without them a failing apply or health check is only retried every spec.interval`,
      path: ['spec'],
    });
  }
  if (spec.prune === true && appliesCrds) {
    found.push({
      hint: 'prune-crds',
      message: 'prune is on and this Kustomization applies CustomResourceDefinitions: removing one from Git deletes every custom resource of that kind; keep CRDs in their own Kustomization or annotate them kustomize.toolkit.fluxcd.io/prune: disabled',
      path: ['spec', 'prune'],
    });
  }
  return found;
}

function helmReleaseHints(spec: Record<string, unknown>): PracticeFinding[] {
  const handled = (action: string): boolean => {
    const section = record(spec[action]);
    return section?.remediation !== undefined || section?.strategy !== undefined;
  };
  const missing = ['install', 'upgrade'].filter((a) => !handled(a));
  if (!missing.length) return [];
  return [{
    hint: 'helm-remediation',
    message: `no failure handling for ${missing.join(' and ')}: set spec.${missing[0]}.remediation.retries (or a strategy) so a failed release is retried or rolled back`,
    path: ['spec'],
  }];
}

function intervalHints(kind: string, spec: Record<string, unknown>): PracticeFinding[] {
  if (typeof spec.interval !== 'string') return [];
  const ns = parseGoDuration(spec.interval);
  if (ns === undefined || ns >= 60e9) return [];
  return [{
    hint: 'source-interval',
    message: `interval ${spec.interval} is under 1m: every ${kind} poll hits the remote; use 1m or more (and webhooks via a Receiver for fast updates)`,
    path: ['spec', 'interval'],
  }];
}

export function practiceFindings(input: PracticeInput): PracticeFinding[] {
  const spec = record(record(input.value)?.spec);
  if (!spec) return [];
  let found: PracticeFinding[] = [];
  if (input.kind === 'Kustomization') found = kustomizationHints(spec, input.appliesCrds ?? false);
  else if (input.kind === 'HelmRelease') found = helmReleaseHints(spec);
  else if (POLLING_KINDS.has(input.kind)) found = intervalHints(input.kind, spec);
  return found.filter((f) => input.enabled?.[f.hint] !== false);
}
