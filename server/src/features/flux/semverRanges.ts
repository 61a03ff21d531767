/**
 * Masterminds semver constraints where Flux reads them: ImagePolicy spec.policy.semver.range,
 * HelmRelease spec.chart.spec.version and HelmChart spec.version (HelmRepository charts),
 * GitRepository and OCIRepository spec.ref.semver. Invalid → error semver-range-invalid; hover
 * explains what the range selects.
 */
import { isScalar, type Document, type Scalar } from 'yaml';
import type { Diagnostic, Hover } from 'vscode-languageserver';
import type { PositionContext, SectionRuleContext } from '../context';
import { locate, nodeAtPath, rootString } from '../../documents/nodes';
import { explainSemverRange, parseSemverRange } from '../../flux/semverRange';
import { diagnostic, ERROR } from './common';

/** Where a kind keeps its constraint; `when` limits it to the sources whose versions are constraints. */
const RANGE_FIELDS: Record<string, { path: string[]; when?: (doc: Document.Parsed) => boolean }[]> = {
  ImagePolicy: [{ path: ['spec', 'policy', 'semver', 'range'] }],
  HelmRelease: [{ path: ['spec', 'chart', 'spec', 'version'], when: (doc) => helmRepositorySource(doc, ['spec', 'chart', 'spec', 'sourceRef', 'kind']) }],
  HelmChart: [{ path: ['spec', 'version'], when: (doc) => helmRepositorySource(doc, ['spec', 'sourceRef', 'kind']) }],
  GitRepository: [{ path: ['spec', 'ref', 'semver'] }],
  OCIRepository: [{ path: ['spec', 'ref', 'semver'] }],
};

/** Chart versions are constraints only for HelmRepository charts; Git and Bucket charts ignore them. */
function helmRepositorySource(doc: Document.Parsed, kindPath: string[]): boolean {
  const kind = nodeAtPath(doc, kindPath);
  return !isScalar(kind) || kind.value === 'HelmRepository';
}

function rangeNodes(doc: Document.Parsed): Scalar[] {
  const kind = rootString(doc, 'kind') ?? '';
  const nodes: Scalar[] = [];
  // hasOwn: a user-written kind such as `constructor` must not reach Object.prototype.
  for (const field of Object.hasOwn(RANGE_FIELDS, kind) ? RANGE_FIELDS[kind]! : []) {
    const node = nodeAtPath(doc, field.path);
    if (isScalar(node) && (field.when?.(doc) ?? true)) nodes.push(node);
  }
  return nodes;
}

/** The constraint text, unless post-build substitution fills it in. */
function constraintOf(node: Scalar): string | undefined {
  const text = node.value === null ? undefined : String(node.value);
  return text === undefined || text.includes('${') ? undefined : text;
}

export function semverDiagnostics(ctx: SectionRuleContext): Diagnostic[] {
  if (!ctx.object?.group.endsWith('.fluxcd.io')) return [];
  return rangeNodes(ctx.doc).flatMap((node) => {
    const text = constraintOf(node);
    if (text === undefined) return [];
    const parsed = parseSemverRange(text);
    return parsed.ok ? [] : [diagnostic(ctx.nodeRange(node), ERROR, 'semver-range-invalid', `invalid semver range for Flux (Masterminds/semver): ${parsed.error}`)];
  });
}

export function semverHover(ctx: PositionContext): Hover | undefined {
  if (!ctx.object?.group.endsWith('.fluxcd.io')) return undefined;
  const at = locate(ctx.section.doc, ctx.offset);
  const node = rangeNodes(ctx.section.doc).find((n) => n === at.node);
  const text = node && constraintOf(node);
  if (!node || text === undefined) return undefined;
  const parsed = parseSemverRange(text);
  const value = parsed.ok ? explainSemverRange(parsed.range) : `Invalid range: ${parsed.error}`;
  const [start, end] = node.range ?? [ctx.offset, ctx.offset];
  return { contents: { kind: 'markdown', value: `**Semver range** \`${text}\`\n\n${value}` }, range: ctx.file.range(ctx.section, start, end) };
}
