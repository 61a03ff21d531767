import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import { isAlias, isMap, isNode, isScalar, isSeq, type Node, type Pair } from 'yaml';
import { keyName } from '../../documents/nodes';
import type { SchemaNode } from '../../schema/types';
import { withFixes } from '../quickFix';
import type { SectionRuleContext } from '../context';
import { closest } from './closest';
import { breaksPattern, describePattern } from './patterns';

/** Diagnostic codes of schema validation (stable: users filter and suppress by them). */
export const SCHEMA_CODES = {
  unknownField: 'unknown-field',
  wrongType: 'wrong-type',
  required: 'missing-required',
  enum: 'invalid-enum',
  pattern: 'pattern-mismatch',
} as const;

/** Bounds: nesting depth walked, and problems reported per section. */
const MAX_DEPTH = 200;
const MAX_PROBLEMS = 200;

export interface CheckOptions {
  /** Whether to report missing required fields (not for kustomize patches, which are partial objects); asked only when one is missing. */
  readonly required: () => boolean;
  /** `${...}` values are exempt from type, enum and pattern checks. */
  readonly substitutable: boolean;
  /**
   * A SOPS-encrypted document: the root `sops` metadata key is not a field of the object (Flux
   * strips it when decrypting), and `ENC[...]` values stand for values of any type.
   */
  readonly encrypted: boolean;
}

/**
 * Where a missing required field is reported: the key (or list item) node of the object, turned
 * into a range only when needed (most objects miss nothing), or the root's range.
 */
export type Anchor = Node | Range;

/** The path of keys from the root, as a chain built without copying; `at` spells it only for messages. */
type Path = { readonly parent: Path; readonly key: string } | undefined;

/** YAML 1.1 booleans that Kubernetes' YAML decoder still accepts. */
const YAML11_BOOLEANS = new Set(['yes', 'no', 'on', 'off', 'y', 'n', 'Yes', 'No', 'On', 'Off', 'YES', 'NO', 'ON', 'OFF', 'True', 'False', 'TRUE', 'FALSE']);

/** Validates a section's root mapping against a kind's schema; `anchor` is where root-level problems go. */
export function checkAgainstSchema(ctx: SectionRuleContext, root: SchemaNode, anchor: Anchor, options: CheckOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = new Walk(ctx, options, out);
  walk.node(ctx.doc.contents as Node | null, root, undefined, anchor, 0);
  return out;
}

class Walk {
  constructor(
    private readonly ctx: SectionRuleContext,
    private readonly options: CheckOptions,
    private readonly out: Diagnostic[],
  ) {}

  node(node: Node | null, schemaIn: SchemaNode | undefined, path: Path, anchor: Anchor, depth: number): void {
    const schema = this.ctx.schemas.resolve(schemaIn);
    if (!schema || !node || isAlias(node) || depth > MAX_DEPTH || this.out.length >= MAX_PROBLEMS) return;
    if (isScalar(node) && node.value === null) return; // an explicit null leaves the field unset
    if (schema['x-kubernetes-int-or-string']) return this.intOrString(node);
    const type = schema.type;
    if (type === 'object' || (!type && (schema.properties || schema.additionalProperties))) return this.object(node, schema, path, anchor, depth);
    if (type === 'array') return this.array(node, schema, path, anchor, depth);
    if (type === 'string' || type === 'integer' || type === 'number' || type === 'boolean') return this.scalar(node, schema, type);
  }

  private object(node: Node, schema: SchemaNode, path: Path, anchor: Anchor, depth: number): void {
    if (!isMap(node)) {
      if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return;
      return this.report(node, SCHEMA_CODES.wrongType, `Expected a mapping${at(path)}, got ${describe(node)}`);
    }
    const properties = schema.properties ?? {};
    const open = schema['x-kubernetes-preserve-unknown-fields'] === true || schema.additionalProperties === true || (!schema.properties && !schema.additionalProperties);
    const additional = typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
    const present = new Set<string>();
    let merged = false;
    for (const pair of node.items) {
      const key = keyName(pair);
      if (key === '<<') merged = true;
      if (key === undefined || key === '<<') continue;
      present.add(key);
      if (this.options.encrypted && path === undefined && key === 'sops') continue;
      const child = Object.hasOwn(properties, key) ? properties[key] : additional;
      if (child) this.node(pair.value as Node | null, child, { parent: path, key }, isNode(pair.key) && pair.key.range ? pair.key : anchor, depth + 1);
      else if (!open) this.unknownField(pair, key, path, Object.keys(properties));
    }
    // A `<<` merge key brings fields we do not expand: required fields may come from it.
    const missing = merged ? [] : (schema.required ?? []).filter((r) => !present.has(r));
    if (missing.length && this.reportRequired()) {
      const names = missing.map((m) => `"${m}"`).join(', ');
      this.push({ range: isNode(anchor) ? this.ctx.nodeRange(anchor) : anchor, severity: DiagnosticSeverity.Error, code: SCHEMA_CODES.required, message: `Missing required field${missing.length > 1 ? 's' : ''} ${names}${at(path)}` });
    }
  }

  private array(node: Node, schema: SchemaNode, path: Path, anchor: Anchor, depth: number): void {
    if (!isSeq(node)) return this.report(node, SCHEMA_CODES.wrongType, `Expected a list${at(path)}, got ${describe(node)}`);
    for (const [i, item] of node.items.entries()) {
      const itemNode = item as Node | null;
      this.node(itemNode, schema.items, { parent: path, key: String(i) }, itemNode ?? anchor, depth + 1);
    }
  }

  private scalar(node: Node, schema: SchemaNode, type: string): void {
    if (!isScalar(node)) return this.report(node, SCHEMA_CODES.wrongType, `Expected ${article(type)}, got ${describe(node)}`);
    const value = node.value;
    if (this.exempt(value)) return;
    const ok =
      type === 'string'
        ? typeof value === 'string'
        : type === 'boolean'
          ? typeof value === 'boolean' || (typeof value === 'string' && node.type === 'PLAIN' && YAML11_BOOLEANS.has(value))
          : type === 'integer'
            ? typeof value === 'number' && Number.isInteger(value)
            : typeof value === 'number';
    if (!ok) return this.report(node, SCHEMA_CODES.wrongType, `Expected ${article(type)}, got ${describe(node)}`);
    if (schema.enum && !schema.enum.includes(value)) {
      const allowed = schema.enum.map((v) => JSON.stringify(v));
      const fixes = typeof value === 'string' ? closest(value, schema.enum.filter((v): v is string => typeof v === 'string')) : undefined;
      const range = this.ctx.nodeRange(node);
      this.push(
        withFixes(
          { range, severity: DiagnosticSeverity.Error, code: SCHEMA_CODES.enum, message: `Value ${JSON.stringify(value)} is not one of ${allowed.join(', ')}` },
          fixes ? [{ title: `Change to "${fixes}"`, edits: [{ range, newText: fixes }], preferred: true }] : [],
        ),
      );
      return;
    }
    if (schema.pattern && typeof value === 'string') {
      if (breaksPattern(value, schema.pattern)) this.report(node, SCHEMA_CODES.pattern, describePattern(value, schema.pattern));
    }
  }

  private intOrString(node: Node): void {
    if (isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) return;
    if (isScalar(node) && this.exempt(node.value)) return;
    this.report(node, SCHEMA_CODES.wrongType, `Expected an integer or a string, got ${describe(node)}`);
  }

  private requiredAnswer: boolean | undefined;
  private reportRequired(): boolean {
    return (this.requiredAnswer ??= this.options.required());
  }

  private exempt(value: unknown): boolean {
    if (typeof value !== 'string') return false;
    if (this.options.encrypted && value.startsWith('ENC[')) return true;
    return value.includes('${') && this.options.substitutable && this.ctx.mayBeSubstituted();
  }

  private unknownField(pair: Pair, key: string, path: Path, known: readonly string[]): void {
    const range = this.keyRange(pair);
    if (!range) return;
    const suggestion = closest(key, known);
    const message = `Unknown field "${key}"${at(path)}${suggestion ? `; did you mean "${suggestion}"?` : ''}`;
    const diagnostic = { range, severity: DiagnosticSeverity.Warning, code: SCHEMA_CODES.unknownField, message };
    this.push(withFixes(diagnostic, suggestion ? [{ title: `Rename to "${suggestion}"`, edits: [{ range, newText: suggestion }], preferred: true }] : []));
  }

  private keyRange(pair: Pair): Range | undefined {
    const key = pair.key as Node | null;
    return key?.range ? this.ctx.nodeRange(key) : undefined;
  }

  private report(node: Node, code: string, message: string): void {
    this.push({ range: this.ctx.nodeRange(node), severity: DiagnosticSeverity.Error, code, message });
  }

  private push(diagnostic: Diagnostic): void {
    if (this.out.length < MAX_PROBLEMS) this.out.push({ ...diagnostic, source: 'flux-gitops' });
  }
}

function at(path: Path): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.parent) keys.push(p.key);
  return keys.length ? ` in ${keys.reverse().join('.')}` : '';
}

function article(type: string): string {
  return type === 'integer' ? 'an integer' : `a ${type}`;
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
    if (typeof v === 'number') return `the number ${v}`;
    if (typeof v === 'boolean') return `the boolean ${v}`;
  }
  return 'a value of another type';
}
