import type { SchemaNode } from '../../schema/types';

type Resolve = (node: SchemaNode | undefined) => SchemaNode | undefined;

/** How deep a key snippet expands nested required fields. */
const MAX_SNIPPET_DEPTH = 3;

/** Escapes text for a snippet (literal `$`, `}` and `\`). */
export function escapeSnippet(text: string): string {
  return text.replace(/[$}\\]/g, '\\$&');
}

/**
 * The snippet inserted for `key`: a placeholder for scalars (a choice for enums and booleans),
 * and for objects and lists of objects the nested required fields, indented two spaces per level
 * relative to `indent` (clients add the cursor line's leading whitespace).
 */
export function keySnippet(resolve: Resolve, key: string, schema: SchemaNode | undefined, indent = ''): string {
  const counter = { n: 1 };
  return `${escapeSnippet(key)}:${valueSnippet(resolve, schema, indent, counter, 0)}`;
}

function valueSnippet(resolve: Resolve, node: SchemaNode | undefined, indent: string, counter: { n: number }, depth: number): string {
  const s = resolve(node);
  const tab = () => `\${${counter.n++}}`;
  if (!s || s['x-kubernetes-int-or-string']) return ` ${tab()}`;
  if (s.enum?.length) return ` \${${counter.n++}|${s.enum.map((v) => escapeChoice(String(v))).join(',')}|}`;
  if (s.type === 'boolean') return ` \${${counter.n++}|true,false|}`;
  if (s.type === 'array') {
    const items = resolve(s.items);
    if (items && (items.type === 'object' || items.properties) && depth < MAX_SNIPPET_DEPTH) {
      const fields = requiredFields(resolve, items, `${indent}    `, counter, depth + 1);
      if (fields.length) return `\n${indent}  - ${fields.join('\n').trimStart()}`;
    }
    return `\n${indent}  - ${tab()}`;
  }
  if (s.type === 'object' || s.properties || s.additionalProperties) {
    if (depth < MAX_SNIPPET_DEPTH) {
      const fields = requiredFields(resolve, s, `${indent}  `, counter, depth + 1);
      if (fields.length) return `\n${fields.join('\n')}`;
    }
    return `\n${indent}  ${tab()}`;
  }
  return ` ${tab()}`;
}

function requiredFields(resolve: Resolve, s: SchemaNode, indent: string, counter: { n: number }, depth: number): string[] {
  return (s.required ?? []).map((name) => `${indent}${escapeSnippet(name)}:${valueSnippet(resolve, s.properties?.[name], indent, counter, depth)}`);
}

function escapeChoice(text: string): string {
  return text.replace(/[$}\\,|]/g, '\\$&');
}
