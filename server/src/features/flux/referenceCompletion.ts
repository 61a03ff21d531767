/**
 * Completion of object names in reference fields: objects of the kinds the field allows (the
 * reference's own `kind` when set), the referrer's namespace first; objects in other namespaces
 * are offered as `namespace/name` where the field may cross namespaces, adding the namespace line.
 * An object defined in several files (one per cluster folder of a fleet repository) is offered once,
 * its documentation listing those files; the referrer itself is never offered.
 */
import * as path from 'node:path';
import { isMap, isScalar, type Pair, type YAMLMap } from 'yaml';
import { CompletionItemKind, type CompletionItem, type TextEdit } from 'vscode-languageserver';
import type { PositionContext } from '../context';
import { locate, nodeAtPath } from '../../documents/nodes';
import { fluxKind, referenceFieldsOf } from '../../schema/fluxKnowledge';
import type { FluxModel, FluxObject } from '../../flux/model';
import { uriToPath } from '../../workspace/uri';

interface Candidate {
  readonly name: string;
  readonly kind: string;
  readonly namespace: string | undefined;
  readonly detail: string;
  /** Files defining it, relative to the repository root. */
  readonly files: string[];
}

function candidates(model: FluxModel, kinds: readonly string[]): Candidate[] {
  const found = new Map<string, Candidate>();
  const push = (f: FluxObject, name: string | undefined, kind: string, detail: string) => {
    if (!name) return;
    const key = `${kind}/${f.namespace ?? ''}/${name}`;
    const candidate = found.get(key) ?? { name, kind, namespace: f.namespace, detail, files: [] };
    found.set(key, candidate);
    const file = uriToPath(f.object.uri);
    const shown = file ? path.relative(model.root, file).split(path.sep).join('/') : f.object.uri;
    if (!candidate.files.includes(shown)) candidate.files.push(shown);
  };
  for (const f of model.objects()) {
    const { kind, group, name } = f.object;
    if (kinds.includes(kind) && (fluxKind(group, kind) || group === '')) push(f, name, kind, kind);
    if (kind === 'ArtifactGenerator' && kinds.includes('ExternalArtifact')) {
      const artifacts = (f.value.spec as { artifacts?: { name?: unknown }[] } | undefined)?.artifacts ?? [];
      for (const a of artifacts) if (typeof a?.name === 'string') push(f, a.name, 'ExternalArtifact', `ExternalArtifact from ArtifactGenerator ${name ?? ''}`);
    }
  }
  return [...found.values()];
}

export function referenceCompletion(ctx: PositionContext, model: FluxModel): CompletionItem[] {
  const object = ctx.object;
  if (!object || !fluxKind(object.group, object.kind)) return [];
  const at = locate(ctx.section.doc, ctx.offset);
  if (at.onKey || at.path[at.path.length - 1] !== 'name') return [];
  const parentPath = at.path.slice(0, -1);
  const dotted = parentPath.map((s) => (typeof s === 'number' ? '[]' : s)).join('.').replace(/\.\[\]/g, '[]');
  const field = referenceFieldsOf(object.kind).find((f) => f.path === dotted);
  const map = nodeAtPath(ctx.section.doc, parentPath);
  if (!field || !isMap(map)) return [];
  const written = map.get('kind');
  const kinds = field.kindField && typeof written === 'string' && field.kinds.includes(written) ? [written] : field.kinds;
  const own = model.fluxObject(object)?.namespace ?? object.namespace;
  const explicitNamespace = map.has('namespace');
  // Right after `name:` the value needs its separating space.
  const cursor = ctx.section.start + ctx.offset;
  const space = ctx.file.text[cursor - 1] === ':' ? ' ' : '';
  const items: CompletionItem[] = [];
  for (const c of candidates(model, kinds)) {
    const local = c.namespace === undefined || own === undefined || c.namespace === own;
    if (local && c.kind === object.kind && c.name === object.name) continue;
    if (!local && !field.crossNamespace) continue;
    const extra = !local && !explicitNamespace ? namespaceEdit(ctx, map, c.namespace!) : undefined;
    items.push({
      label: local ? c.name : `${c.namespace}/${c.name}`,
      kind: CompletionItemKind.Reference,
      detail: `${c.detail}${c.namespace ? ` in ${c.namespace}` : ''}`,
      documentation: { kind: 'markdown', value: `Defined in ${c.files.map((f) => `\`${f}\``).join(', ')}` },
      insertText: `${space}${c.name}`,
      filterText: c.name,
      sortText: `${local ? 0 : 1}${c.name}`,
      ...(extra ? { additionalTextEdits: [extra] } : {}),
    });
  }
  return items;
}

/** Inserts `namespace: ns` after the `name:` line, at the same indentation. */
function namespaceEdit(ctx: PositionContext, map: YAMLMap, namespace: string): TextEdit | undefined {
  const pair = map.items.find((p): p is Pair => isScalar(p.key) && p.key.value === 'name');
  const key = pair && isScalar(pair.key) ? pair.key : undefined;
  if (!key?.range) return undefined;
  const start = ctx.file.positionAt(ctx.section.start + key.range[0]);
  const lineEnd = ctx.file.lines.lineEnd(start.line);
  const end = ctx.file.positionAt(lineEnd);
  return { range: { start: end, end }, newText: `\n${' '.repeat(start.character)}namespace: ${namespace}` };
}
