/** A short Markdown summary of an object for hovers: kind, namespace/name, file, the telling spec fields. */
import * as path from 'node:path';
import type { FluxModel, FluxObject } from '../../flux/model';
import { uriToPath } from '../../workspace/uri';

/** Spec fields worth showing, per kind (dotted paths). */
const FIELDS: Record<string, string[]> = {
  GitRepository: ['url', 'ref.branch', 'ref.tag', 'ref.semver', 'interval'],
  OCIRepository: ['url', 'ref.tag', 'ref.semver', 'interval'],
  HelmRepository: ['url', 'type', 'interval'],
  Bucket: ['bucketName', 'endpoint', 'interval'],
  HelmChart: ['chart', 'version', 'sourceRef.kind', 'sourceRef.name'],
  Kustomization: ['path', 'sourceRef.kind', 'sourceRef.name', 'interval', 'prune', 'targetNamespace'],
  HelmRelease: ['chart.spec.chart', 'chart.spec.version', 'chartRef.kind', 'chartRef.name', 'interval', 'releaseName'],
  ImageRepository: ['image', 'interval'],
  ImagePolicy: ['imageRepositoryRef.name', 'policy.semver.range', 'policy.alphabetical.order', 'policy.numerical.order', 'filterTags.pattern'],
  ImageUpdateAutomation: ['sourceRef.name', 'update.path', 'git.push.branch'],
  Provider: ['type', 'channel', 'address'],
  Alert: ['providerRef.name', 'eventSeverity'],
};

function at(value: unknown, dotted: string): unknown {
  let current = value;
  for (const key of dotted.split('.')) current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

export function objectSummary(f: FluxObject, model: FluxModel, producedBy?: string): string {
  const { kind, name } = f.object;
  const file = uriToPath(f.object.uri);
  const lines = [`**${kind}** \`${f.namespace ? `${f.namespace}/` : ''}${name ?? ''}\``];
  if (producedBy) lines.push(`Produced by ${producedBy}`);
  if (file) lines.push(`Declared in \`${path.relative(model.root, file).split(path.sep).join('/')}\``);
  const spec = f.value.spec;
  // hasOwn: a user-written kind such as `constructor` must not reach Object.prototype.
  const shown = (Object.hasOwn(FIELDS, kind) ? FIELDS[kind]! : []).flatMap((field) => {
    const v = at(spec, field);
    return v === undefined || typeof v === 'object' ? [] : [`- ${field}: \`${String(v)}\``];
  });
  if (kind === 'Secret' || kind === 'ConfigMap') {
    const data = { ...(f.value.data as object | undefined), ...(f.value.stringData as object | undefined) };
    const keys = Object.keys(data);
    if (keys.length) shown.push(`- keys: ${keys.map((k) => `\`${k}\``).join(', ')}`);
  }
  return [...lines, ...(shown.length ? ['', ...shown] : [])].join('\n\n').replace(/\n\n- /g, '\n- ');
}
