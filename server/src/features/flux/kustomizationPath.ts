/**
 * Kustomization `spec.path`: a warning when the folder is not in the repository (code
 * flux-path-missing), a document link to it, completion of folder paths, and a hover listing
 * the files it applies.
 */
import * as path from 'node:path';
import { isScalar } from 'yaml';
import { CompletionItemKind, type CompletionItem, type Diagnostic, type DocumentLink, type Hover } from 'vscode-languageserver';
import type { PositionContext, SectionRuleContext } from '../context';
import { locate, nodeAtPath } from '../../documents/nodes';
import type { YamlFile } from '../../documents/yamlFile';
import { kustomizationFileIn } from '../../kustomize/files';
import type { FluxModel } from '../../flux/model';
import { pathToUri, uriToPath } from '../../workspace/uri';
import { diagnostic, WARNING } from './common';

export function kustomizationPathDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  const info = model.kustomizationOf(ctx.object);
  if (!info || info.pathStatus !== 'missing') return [];
  const node = nodeAtPath(ctx.doc, ['spec', 'path']) ?? nodeAtPath(ctx.doc, ['spec']);
  if (!node) return [];
  const value = isScalar(node) ? String(node.value) : '(empty)';
  return [diagnostic(ctx.nodeRange(node), WARNING, 'flux-path-missing', `spec.path ${value} is not a folder with YAML files in this repository`)];
}

/** A link from every resolved spec.path to its kustomization file (or the folder). */
export function kustomizationPathLinks(file: YamlFile, model: FluxModel): DocumentLink[] {
  const links: DocumentLink[] = [];
  for (const info of model.kustomizations) {
    if (info.flux.object.uri !== file.uri || !info.folder) continue;
    const node = nodeAtPath(info.flux.section.doc, ['spec', 'path']);
    if (!node?.range) continue;
    const target = kustomizationFileIn(model.tree, info.folder) ?? info.folder;
    links.push({ range: file.range(info.flux.section, node.range[0], node.range[1]), target: pathToUri(target), tooltip: `Open ${path.relative(model.root, target)}` });
  }
  return links;
}

/** Folder paths (relative to the repository root, `./`-prefixed) while typing a Kustomization's spec.path. */
export function kustomizationPathCompletion(ctx: PositionContext, model: FluxModel): CompletionItem[] {
  if (ctx.object?.kind !== 'Kustomization' || ctx.object.group !== 'kustomize.toolkit.fluxcd.io') return [];
  const at = locate(ctx.section.doc, ctx.offset);
  if (at.path.join('.') !== 'spec.path' || at.onKey) return [];
  const file = uriToPath(ctx.uri);
  if (!file) return [];
  const folders = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of model.tree.list(dir).dirs) {
      const full = path.join(dir, name);
      if (name.startsWith('.')) continue;
      folders.add(`./${path.relative(model.root, full).split(path.sep).join('/')}`);
      walk(full);
    }
  };
  walk(model.root);
  return [...folders].sort().map((folder, i) => ({ label: folder, kind: CompletionItemKind.Folder, sortText: String(i).padStart(5, '0') }));
}

/** Files listed in the hover, at most. */
const LISTED_FILES = 25;

/** Hover on spec.path: the folder it resolves to and the files the Kustomization applies. */
export function kustomizationPathHover(ctx: PositionContext, model: FluxModel): Hover | undefined {
  const info = model.kustomizationOf(ctx.object);
  const node = info && nodeAtPath(ctx.section.doc, ['spec', 'path']);
  if (!info || !node?.range || ctx.offset < node.range[0] || ctx.offset > node.range[1]) return undefined;
  const relative = (p: string): string => path.relative(model.root, p).split(path.sep).join('/') || '.';
  const lines: string[] = [];
  if (info.pathStatus === 'external') lines.push('The source is not this repository: the folder is not checked.');
  else if (!info.folder || !info.applied) lines.push('No such folder with YAML files in this repository.');
  else {
    const files = info.applied.files;
    lines.push(`Folder \`${relative(info.folder)}\`: applies ${files.length} file${files.length === 1 ? '' : 's'}`);
    lines.push(...files.slice(0, LISTED_FILES).map((f) => `- \`${relative(f.file)}\`${f.namespace ? ` (namespace ${f.namespace})` : ''}`));
    if (files.length > LISTED_FILES) lines.push(`- … and ${files.length - LISTED_FILES} more`);
  }
  return { contents: { kind: 'markdown', value: lines.join('\n') }, range: ctx.file.range(ctx.section, node.range[0], node.range[1]) };
}
