/**
 * Hover on an `$imagepolicy` marker: the ImagePolicy (image repository, rule), its live latestRef
 * when the client has pushed it (ImagePoliciesNotification), and what the marker will write.
 */
import type { Hover } from 'vscode-languageserver';
import type { PositionContext } from '../context';
import { findMarkers, type Marker } from '../../flux/markers';
import type { FluxModel } from '../../flux/model';
import { objectSummary } from './objectSummary';

export function markerAt(ctx: PositionContext): Marker | undefined {
  if (!ctx.section.text.includes('$imagepolicy')) return undefined;
  return findMarkers(ctx.section.text).find((m) => m.start <= ctx.offset && ctx.offset <= m.end);
}

const WRITES: Record<string, string> = {
  full: 'the full image reference (`name:tag`, or `name:tag@digest` with digest reflection)',
  tag: 'the tag only',
  name: 'the image name only',
  digest: 'the digest only (needs spec.digestReflectionPolicy on the policy)',
};

export function markerHover(ctx: PositionContext, model: FluxModel): Hover | undefined {
  const marker = markerAt(ctx);
  if (!marker?.ref) return undefined;
  const { namespace, name, suffix } = marker.ref;
  const policies = model.lookup(['ImagePolicy'], name, namespace);
  const parts = [`**Image policy marker** → writes ${WRITES[suffix ?? 'full']}`];
  for (const p of policies) {
    parts.push(objectSummary(p.flux, model));
    const repoName = (p.flux.value.spec as { imageRepositoryRef?: { name?: string } } | undefined)?.imageRepositoryRef?.name;
    const repo = repoName ? model.lookup(['ImageRepository'], repoName, p.flux.namespace)[0] : undefined;
    if (repo) parts.push(objectSummary(repo.flux, model));
  }
  if (policies.length === 0) parts.push(`ImagePolicy \`${namespace}/${name}\` is not in the workspace.`);
  const live = model.livePolicy(namespace, name);
  const latest = live?.latestRef;
  parts.push(latest
    ? `**Cluster** (${live.context}): latest \`${[latest.name, latest.tag].filter(Boolean).join(':')}${latest.digest ? `@${latest.digest}` : ''}\``
    : '_Latest image from the cluster: not known (connect a cluster to see it)._');
  return { contents: { kind: 'markdown', value: parts.join('\n\n---\n\n') }, range: ctx.file.range(ctx.section, marker.start, marker.end) };
}
