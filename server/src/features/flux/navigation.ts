/**
 * Go to definition and find references across the Flux graph: reference fields ↔ the objects they
 * name, `$imagepolicy` markers ↔ ImagePolicies, `${var}` → where postBuild defines it.
 */
import { isMap, isScalar } from 'yaml';
import type { Location } from 'vscode-languageserver';
import type { PositionContext } from '../context';
import { nodeAtPath } from '../../documents/nodes';
import type { FluxModel, FluxObject } from '../../flux/model';
import { scanYamlSubstitutions } from '../../flux/substitution';
import { referenceAt } from './common';
import { markerAt } from './markerHover';

function variableDefinitions(ctx: PositionContext, model: FluxModel): Location[] {
  if (!ctx.section.text.includes('${')) return [];
  const use = scanYamlSubstitutions(ctx.section.text).uses.find((u) => u.start <= ctx.offset && ctx.offset <= u.end);
  if (!use) return [];
  const found: Location[] = [];
  for (const info of model.substitutedBy(ctx.uri)) {
    const substitute = nodeAtPath(info.flux.section.doc, ['spec', 'postBuild', 'substitute']);
    const pair = isMap(substitute) ? substitute.items.find((p) => isScalar(p.key) && p.key.value === use.name) : undefined;
    const key = pair && isScalar(pair.key) ? pair.key.range : undefined;
    if (key) found.push({ uri: info.flux.object.uri, range: info.flux.file.range(info.flux.section, key[0], key[1]) });
  }
  return found;
}

export function fluxDefinition(ctx: PositionContext, model: FluxModel): Location[] {
  const ref = referenceAt(model, ctx.object, ctx.offset);
  if (ref) return ref.targets.map((t) => model.locationOf(t.flux));
  const marker = markerAt(ctx);
  if (marker?.ref) return model.lookup(['ImagePolicy'], marker.ref.name, marker.ref.namespace).map((t) => model.locationOf(t.flux));
  return variableDefinitions(ctx, model);
}

/** The object a references request is about: what the reference under the cursor names, else the section's object. */
function subjects(ctx: PositionContext, model: FluxModel): FluxObject[] {
  const ref = referenceAt(model, ctx.object, ctx.offset);
  if (ref) return ref.targets.map((t) => t.flux);
  const marker = markerAt(ctx);
  if (marker?.ref) return model.lookup(['ImagePolicy'], marker.ref.name, marker.ref.namespace).map((t) => t.flux);
  const own = model.fluxObject(ctx.object);
  return own ? [own] : [];
}

export function fluxReferences(ctx: PositionContext, model: FluxModel, includeDeclaration: boolean): Location[] {
  const found: Location[] = [];
  for (const target of subjects(ctx, model)) {
    if (includeDeclaration) found.push(model.locationOf(target));
    for (const r of model.referencesTo(target)) {
      const node = r.site.nameNode ?? r.site.map;
      if (node.range) found.push({ uri: r.from.object.uri, range: r.from.file.range(r.from.section, node.range[0], node.range[1]) });
    }
    if (target.object.kind === 'ImagePolicy') found.push(...model.markersFor(target.namespace, target.object.name));
  }
  return found;
}
