import { MarkupKind, type Hover } from 'vscode-languageserver';
import { locate } from '../documents/nodes';
import { FLUX_RELEASES, fluxKind } from '../schema/fluxKnowledge';
import { schemaAt, typeLabel } from '../schema/navigate';
import type { SchemaNode } from '../schema/types';
import { splitApiVersion } from '../workspace/objectIndex';
import { sectionHeader, sectionKind } from './completion/header';
import type { PositionContext } from './context';
import { describeSource } from './validation/apiVersion';

/** Hover from the schema: description, type, required, default; for apiVersion the served versions. */
export function schemaHover(ctx: PositionContext): Hover | undefined {
  const loc = locate(ctx.section.doc, ctx.offset);
  if (!loc.path.length || !loc.node?.range) return undefined;
  const range = ctx.file.range(ctx.section, loc.node.range[0], loc.node.range[1]);
  if (loc.path.length === 1 && loc.path[0] === 'apiVersion') return markdown(apiVersionHover(ctx), range);
  const resolve = (n: SchemaNode | undefined): SchemaNode | undefined => ctx.schemas.resolve(n);
  const kind = sectionKind(ctx.schemas, ctx.section);
  if (!kind?.schema) return undefined;
  if (loc.path.length === 1 && loc.path[0] === 'kind') {
    const description = resolve(kind.schema)?.description;
    return markdown(`**${kind.kind}** (${kind.group ? `${kind.group}/` : ''}${kind.version})${description ? `\n\n${description}` : ''}`, range);
  }
  const schema = resolve(schemaAt(resolve, kind.schema, loc.path));
  if (!schema) return undefined;
  const key = loc.path[loc.path.length - 1]!;
  const parent = resolve(schemaAt(resolve, kind.schema, loc.path.slice(0, -1)));
  const required = typeof key === 'string' && (parent?.required ?? []).includes(key);
  const lines = [`**${typeof key === 'number' ? `item ${key}` : key}**: \`${typeLabel(resolve, schema)}\`${required ? ' (required)' : ''}`];
  if (schema.description) lines.push(schema.description);
  const facts: string[] = [];
  if (schema.default !== undefined) facts.push(`Default: \`${JSON.stringify(schema.default)}\``);
  if (schema.enum) facts.push(`Allowed: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (schema.pattern) facts.push(`Pattern: \`${schema.pattern}\``);
  if (facts.length) lines.push(facts.join('  \n'));
  return markdown(lines.join('\n\n'), range);
}

function apiVersionHover(ctx: PositionContext): string {
  const { apiVersion, kind } = sectionHeader(ctx.section);
  if (!apiVersion || !kind) return '**apiVersion**: the API group and version of the object';
  const { group, version } = splitApiVersion(apiVersion);
  const lines = [`**${kind}** \`${apiVersion}\``];
  const versions = ctx.schemas.versions(group, kind);
  if (versions.length) {
    const list = versions.map((v) => `\`${v.version}\`${v.storage ? ' (storage)' : ''}${v.deprecated ? ' (deprecated)' : ''}${v.served ? '' : ' (not served)'}`);
    lines.push(`Served by ${describeSource(versions[0]!)}: ${list.join(', ')}`);
  }
  const flux = fluxKind(group, kind);
  if (flux) {
    const rows = FLUX_RELEASES.filter((r) => flux.releases[r]).map((r) => `| ${r} | ${flux.releases[r]!.map((v) => `${v.name === version ? '**' : ''}${v.name}${v.deprecated ? ' (deprecated)' : ''}${v.name === version ? '**' : ''}`).join(', ')} |`);
    lines.push(`| Flux | served versions |\n|---|---|\n${rows.join('\n')}`);
  }
  return lines.join('\n\n');
}

function markdown(value: string, range: Hover['range']): Hover {
  return { contents: { kind: MarkupKind.Markdown, value }, ...(range ? { range } : {}) };
}
