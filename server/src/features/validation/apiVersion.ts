import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { isMap, type Node } from 'yaml';
import { keyName } from '../../documents/nodes';
import { FLUX_GROUPS, LATEST_FLUX_RELEASE, fluxKind, fluxKindsNamed, newestVersion, versionStatus, type FluxKind } from '../../schema/fluxKnowledge';
import { apiVersionOf, type KindSchema } from '../../schema/types';
import type { IndexedObject } from '../../workspace/objectIndex';
import { withFixes } from '../quickFix';
import type { SectionRuleContext } from '../context';

export const API_VERSION_CODES = {
  kindNotInGroup: 'kind-not-in-group',
  notServed: 'apiversion-not-served',
  deprecated: 'apiversion-deprecated',
  removed: 'apiversion-removed',
  unknown: 'apiversion-unknown',
} as const;

/**
 * Whether the object's apiVersion serves its kind: CRDs (live, workspace, paths, cache) decide
 * first, then the built-in Kubernetes kinds, then the Flux knowledge. A Flux kind under the wrong
 * group (HelmRelease under source.toolkit.fluxcd.io) gets a fix to the right apiVersion.
 */
export function apiVersionCheck(ctx: SectionRuleContext): Diagnostic[] {
  const object = ctx.object;
  if (!object || !ctx.settings.validate) return [];
  const problem = (severity: DiagnosticSeverity, code: string, message: string, replacement?: string): Diagnostic[] => {
    // Converted to a range only here: most objects have no problem.
    const range = apiVersionRange(ctx) ?? object.range;
    return [
      withFixes(
        { range, severity, code, message, source: 'flux-gitops' },
        replacement ? [{ title: `Change apiVersion to ${replacement}`, edits: [{ range, newText: replacement }], preferred: true }] : [],
      ),
    ];
  };

  const versions = ctx.schemas.versions(object.group, object.kind);
  if (versions.length) return fromSchemas(object, versions, problem);

  const flux = fluxKind(object.group, object.kind);
  if (flux) return fromFluxKnowledge(object, flux, problem);

  const elsewhere = fluxKindsNamed(object.kind);
  const known = ctx.schemas.all();
  const builtinGroup = known.some((k) => k.source === 'builtin' && k.group === object.group);
  // The live cluster has every CRD of a group it serves: a kind it lacks there does not exist.
  const liveKinds = [...new Set(known.filter((k) => k.source === 'live' && k.group === object.group).map((k) => k.kind))];
  if (liveKinds.length && !FLUX_GROUPS.has(object.group) && !elsewhere.length) {
    return problem(DiagnosticSeverity.Error, API_VERSION_CODES.kindNotInGroup, `The cluster serves no kind ${object.kind} in group ${object.group} (it has ${liveKinds.sort().join(', ')})`);
  }
  if (FLUX_GROUPS.has(object.group) || (builtinGroup && elsewhere.length)) {
    const right = elsewhere[0];
    if (right) {
      const to = apiVersionOf(right.group, newestVersion(right));
      return problem(DiagnosticSeverity.Error, API_VERSION_CODES.kindNotInGroup, `Kind ${object.kind} does not exist in group ${object.group || 'core'}; it belongs to ${to}`, to);
    }
    return problem(DiagnosticSeverity.Error, API_VERSION_CODES.kindNotInGroup, `Kind ${object.kind} does not exist in the Flux group ${object.group}`);
  }
  return [];
}

type Problem = (severity: DiagnosticSeverity, code: string, message: string, replacement?: string) => Diagnostic[];

function fromSchemas(object: IndexedObject, versions: readonly KindSchema[], problem: Problem): Diagnostic[] {
  const served = versions.filter((v) => v.served);
  const preferred = served.find((v) => v.storage) ?? served[0];
  const to = preferred && apiVersionOf(preferred.group, preferred.version);
  const v = versions.find((x) => x.version === object.version);
  const from = describeSource(versions[0]!);
  if (!v || !v.served) {
    const list = served.map((x) => x.version).join(', ') || 'none';
    const severity = versions[0]!.source === 'builtin' ? DiagnosticSeverity.Warning : DiagnosticSeverity.Error;
    return problem(severity, API_VERSION_CODES.notServed, `${object.apiVersion} is not served for ${object.kind} by ${from} (served: ${list})`, to);
  }
  if (v.deprecated) {
    const message = v.deprecationWarning ?? `${object.apiVersion} ${object.kind} is deprecated`;
    return problem(DiagnosticSeverity.Warning, API_VERSION_CODES.deprecated, to ? `${message}; use ${to}` : message, to !== object.apiVersion ? to : undefined);
  }
  return [];
}

function fromFluxKnowledge(object: IndexedObject, flux: FluxKind, problem: Problem): Diagnostic[] {
  const status = versionStatus(flux, object.version);
  const to = apiVersionOf(flux.group, newestVersion(flux));
  if (!status.servedIn.length) {
    return problem(DiagnosticSeverity.Error, API_VERSION_CODES.unknown, `No Flux release serves ${object.kind} as ${object.apiVersion}; use ${to}`, to);
  }
  if (!status.servedInLatest) {
    return problem(DiagnosticSeverity.Warning, API_VERSION_CODES.removed, `${object.apiVersion} ${object.kind} was last served by Flux ${status.lastServed} and is removed in Flux ${LATEST_FLUX_RELEASE}; use ${to}`, to);
  }
  if (status.deprecatedIn.includes(LATEST_FLUX_RELEASE)) {
    return problem(DiagnosticSeverity.Warning, API_VERSION_CODES.deprecated, `${object.apiVersion} ${object.kind} is deprecated in Flux ${LATEST_FLUX_RELEASE}; use ${to}`, to);
  }
  return [];
}

/** Where a kind's versions come from, in words. */
export function describeSource(k: KindSchema): string {
  switch (k.source) {
    case 'builtin':
      return 'the built-in Kubernetes API';
    case 'live':
      return `the ${k.kind} CRD of the cluster`;
    case 'workspace':
      return `the ${k.kind} CRD in ${k.origin ? k.origin.slice(k.origin.lastIndexOf('/') + 1) : 'the workspace'}`;
    case 'paths':
      return `the ${k.kind} CRD from the CRD paths`;
    case 'cache':
      return `the cached ${k.kind} CRD`;
  }
}

function apiVersionRange(ctx: SectionRuleContext): Range | undefined {
  const root = ctx.doc.contents;
  if (!isMap(root)) return undefined;
  const value = root.items.find((p) => keyName(p) === 'apiVersion')?.value as Node | null | undefined;
  return value ? ctx.nodeRange(value) : undefined;
}
