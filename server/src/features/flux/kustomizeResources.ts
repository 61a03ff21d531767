/**
 * kustomize's own kustomization files: a local `resources`/`components`/`bases`/patch entry that
 * does not exist, or a folder without a kustomization file, makes `kustomize build` (and so the
 * Flux Kustomization) fail. Code: kustomize-resource-missing. Entries that are not YAML files or
 * folders (e.g. `.json`) are not checked: only YAML files are known to the workspace.
 */
import * as path from 'node:path';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver';
import type { SectionRuleContext } from '../context';
import { isRemote, kustomizationFileIn } from '../../kustomize/files';
import { KUSTOMIZE_CONFIG_GROUP, type FluxModel } from '../../flux/model';
import { uriToPath } from '../../workspace/uri';
import { diagnostic, ERROR } from './common';

const ENTRY_LISTS = ['resources', 'components', 'bases', 'crds'];

export function kustomizeResourceDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  if (ctx.object?.group !== KUSTOMIZE_CONFIG_GROUP) return [];
  const file = uriToPath(ctx.uri);
  const root = ctx.doc.contents;
  if (!file || !isMap(root)) return [];
  const dir = path.dirname(file);
  const entries: Node[] = [];
  for (const key of ENTRY_LISTS) {
    const list = root.get(key, true);
    if (isSeq(list)) entries.push(...(list.items as Node[]));
  }
  for (const key of ['patches', 'patchesJson6902']) {
    const list = root.get(key, true);
    if (isSeq(list)) for (const item of list.items) if (isMap(item) && item.has('path')) entries.push(item.get('path', true) as Node);
  }
  const result: Diagnostic[] = [];
  for (const node of entries) {
    if (!isScalar(node) || typeof node.value !== 'string' || isRemote(node.value)) continue;
    const entry = node.value;
    const target = path.join(dir, entry);
    const ext = path.extname(entry);
    if (model.tree.isFile(target)) continue;
    if (model.tree.isDirectory(target)) {
      if (!kustomizationFileIn(model.tree, target)) {
        result.push(diagnostic(ctx.nodeRange(node), ERROR, 'kustomize-resource-missing', `${entry} has no kustomization.yaml: kustomize cannot build it`));
      }
      continue;
    }
    if (ext !== '' && ext !== '.yaml' && ext !== '.yml') continue;
    result.push(diagnostic(ctx.nodeRange(node), ERROR, 'kustomize-resource-missing', `${entry} does not exist`));
  }
  return result;
}
