import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { metadataString, rootString } from '../documents/nodes';
import type { YamlFile } from '../documents/yamlFile';

/** Outline: one `Kind/name` symbol per non-empty `---` section, its top-level keys as children. */
export function documentSymbols(file: YamlFile): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  for (const section of file.sections) {
    const contents = section.doc.contents;
    if (!contents?.range) continue;
    const kind = rootString(section.doc, 'kind');
    const name = metadataString(section.doc, 'name');
    const label = kind ? `${kind}/${name ?? '(unnamed)'}` : `document ${section.index + 1}`;
    const range = file.range(section, contents.range[0], contents.range[1]);
    symbols.push({
      name: label,
      detail: rootString(section.doc, 'apiVersion') ?? '',
      kind: kind ? SymbolKind.Class : SymbolKind.Module,
      range,
      selectionRange: { start: range.start, end: range.start },
    });
  }
  return symbols;
}
