import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { isAlias, isMap, isSeq, type Node } from 'yaml';
import { keyName } from '../../documents/nodes';
import type { SectionRuleContext } from '../context';

/**
 * The two structural errors the YAML parser leaves to us, in one linear walk: a key given twice
 * in one mapping (`duplicate-key`; Kubernetes rejects it) and an alias to an anchor not defined
 * before it (`unknown-alias`). The walk recurses: section trees are at most MAX_NESTING deep
 * (documents/section.ts).
 */
export function yamlStructure(ctx: SectionRuleContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const anchors = new Set<string>();
  const report = (node: Node, code: string, message: string): void => {
    if (node.range) out.push({ range: ctx.nodeRange(node), severity: DiagnosticSeverity.Error, code, source: 'flux-gitops', message });
  };
  // Depth-first in document order, so an anchor is seen before the aliases after it.
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor) anchors.add(anchor);
    if (isAlias(node)) {
      if (!anchors.has(node.source)) report(node, 'unknown-alias', `Alias *${node.source} refers to no anchor defined before it`);
    } else if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        visit(pair.key);
        const key = keyName(pair);
        if (key !== undefined && key !== '<<') {
          if (seen.has(key)) report(pair.key as Node, 'duplicate-key', `Duplicate key "${key}"`);
          seen.add(key);
        }
        visit(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) visit(item);
    }
  };
  visit(ctx.doc.contents);
  return out;
}
