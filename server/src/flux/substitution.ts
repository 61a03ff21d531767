/**
 * Flux post-build variable substitution (kustomize-controller, fluxcd/pkg/envsubst): where `${...}`
 * expressions are, which are malformed or unsupported (either fails the build), and where a
 * variable's value comes from. The scanner follows the envsubst grammar; offsets are relative to
 * the scanned text.
 */
import { CST, Parser } from 'yaml';

export type SubstitutionOperator =
  | ':=' | ':-' | '=' | ':?' | ':+'
  | 'substring' | 'length'
  | '#' | '##' | '%' | '%%'
  | '/' | '//' | '/#' | '/%'
  | '^' | '^^' | ',' | ',,';

export interface VariableUse {
  readonly name: string;
  /** The whole `${...}` expression. */
  readonly start: number;
  readonly end: number;
  readonly nameStart: number;
  readonly operator?: SubstitutionOperator;
  /** The default text (`:=`, `:-`, `=`), raw. */
  readonly defaultText?: string;
  /** Inside another expression's default: only read when the outer variable is unset. */
  readonly nested: boolean;
}

export type SubstitutionProblemCode = 'subst-unbalanced' | 'subst-unsupported-operator' | 'subst-bad-syntax';

export interface SubstitutionProblem {
  readonly code: SubstitutionProblemCode;
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

export interface SubstitutionScan {
  readonly uses: VariableUse[];
  readonly problems: SubstitutionProblem[];
}

const DEFAULTING: ReadonlySet<string> = new Set([':=', ':-', '=']);
const UNSUPPORTED: ReadonlySet<string> = new Set([':?', ':+']);

/** envsubst reads names with Unicode letters, digits and `_`. */
const isNameChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);

/**
 * Thrown to end the reading of a malformed expression, caught in this module only. Not an Error:
 * each Error captures a stack trace, and 100 KB of `${` is 50,000 failures (seconds of traces).
 */
class SyntaxFailure {
  constructor(readonly code: SubstitutionProblemCode, readonly message: string, readonly at: number) {}
}

/**
 * How deep nested expressions are read. envsubst (Go) recurses without a limit; here thousands of
 * levels overflowed the stack, and each unclosed level was read again from every `${` inside it
 * (10 KB of `${a:-`: 7 s). An expression nested deeper is read on its own, from where the limit
 * was hit (no real file comes near).
 */
const MAX_NESTING = 64;

/** Thrown where the nesting limit is hit (not an Error, as SyntaxFailure). */
class TooDeep {
  constructor(readonly at: number) {}
}

/** Recursive-descent reader of one `${...}` expression (the position is just after `${`). */
class ExpressionReader {
  pos: number;
  constructor(
    private readonly text: string,
    start: number,
    private readonly uses: VariableUse[],
    private readonly nested: boolean,
    /** Expressions open around this one. */
    private depth = 0,
  ) {
    this.pos = start;
  }

  private peek(offset = 0): string | undefined {
    return this.text[this.pos + offset];
  }

  private fail(code: SubstitutionProblemCode, message: string): never {
    throw new SyntaxFailure(code, message, this.pos);
  }

  private closing(): void {
    if (this.peek() !== '}') {
      this.fail(this.pos >= this.text.length ? 'subst-unbalanced' : 'subst-bad-syntax',
        this.pos >= this.text.length ? 'unbalanced "${": no closing "}"' : `unexpected "${this.peek()}" in a substitution`);
    }
    this.pos++;
  }

  private name(): string {
    const start = this.pos;
    while (isNameChar(this.peek())) this.pos++;
    if (this.pos === start) this.fail(this.pos >= this.text.length ? 'subst-unbalanced' : 'subst-bad-syntax', 'a substitution must start with a variable name: ${name}');
    return this.text.slice(start, this.pos);
  }

  /** Text or a nested expression, up to one of the stop characters. */
  private param(stops: string): void {
    const start = this.pos;
    while (this.pos < this.text.length) {
      if (this.peek() === '$' && this.peek(1) === '{') {
        if (this.pos > start) return;
        const exprStart = this.pos;
        if (this.depth >= MAX_NESTING) throw new TooDeep(exprStart);
        this.pos += 2;
        // Not restored on a throw: the failure ends the whole reading.
        this.depth++;
        this.read(exprStart, true);
        this.depth--;
        return;
      }
      if (stops.includes(this.peek()!)) break;
      this.pos++;
    }
    if (this.pos === start) this.fail(this.pos >= this.text.length ? 'subst-unbalanced' : 'subst-bad-syntax', this.pos >= this.text.length ? 'unbalanced "${": no closing "}"' : 'an operator is missing its argument');
  }

  /** Reads the expression that began at `exprStart` and records it. */
  read(exprStart: number, nested: boolean = this.nested): void {
    const record = (name: string, nameStart: number, operator?: SubstitutionOperator, defaultText?: string): void => {
      this.uses.push({ name, start: exprStart, end: this.pos, nameStart, nested, ...(operator ? { operator } : {}), ...(defaultText !== undefined ? { defaultText } : {}) });
    };
    if (this.peek() === '#') {
      this.pos++;
      const nameStart = this.pos;
      const name = this.name();
      this.closing();
      return record(name, nameStart, 'length');
    }
    const nameStart = this.pos;
    const name = this.name();
    const op = this.peek();
    if (op === ':' && '=-?+'.includes(this.peek(1) ?? '!') || op === '=') {
      const operator = (op === '=' ? '=' : `:${this.peek(1)}`) as SubstitutionOperator;
      this.pos += operator.length;
      const defaultStart = this.pos;
      while (this.peek() !== '}') {
        const inner = new ExpressionReader(this.text, this.pos, this.uses, true, this.depth);
        inner.param('}');
        this.pos = inner.pos;
      }
      const defaultText = this.text.slice(defaultStart, this.pos);
      this.pos++;
      if (UNSUPPORTED.has(operator)) {
        throw new SyntaxFailure('subst-unsupported-operator', `"\${${name}${operator}...}" is not supported by Flux; use ":-", ":=" or "="`, exprStart);
      }
      return record(name, nameStart, operator, defaultText);
    }
    if (op === ':') {
      this.pos++;
      this.param(':}');
      if (this.peek() === ':') {
        this.pos++;
        this.param('}');
      }
      this.closing();
      return record(name, nameStart, 'substring');
    }
    if (op === ',' || op === '^') {
      const start = this.pos;
      while ((this.peek() === ',' || this.peek() === '^') && this.pos - start < 2) this.pos++;
      const operator = this.text.slice(start, this.pos) as SubstitutionOperator;
      this.closing();
      return record(name, nameStart, operator);
    }
    if (op === '#' || op === '%') {
      const start = this.pos;
      while (this.peek() === op && this.pos - start < 2) this.pos++;
      const operator = this.text.slice(start, this.pos) as SubstitutionOperator;
      this.param('}');
      this.closing();
      return record(name, nameStart, operator);
    }
    if (op === '/') {
      const start = this.pos;
      this.pos++;
      if ('/#%'.includes(this.peek() ?? '!')) this.pos++;
      const operator = this.text.slice(start, this.pos) as SubstitutionOperator;
      if (this.peek() !== '/') this.param('/');
      if (this.peek() !== '/') this.fail('subst-bad-syntax', `a replacement needs the form \${${name}${operator}pattern/replacement}`);
      this.pos++;
      if (this.peek() !== '}') this.param('}');
      this.closing();
      return record(name, nameStart, operator);
    }
    if (op === '-' || op === '+' || op === '?') {
      throw new SyntaxFailure('subst-unsupported-operator', `"\${${name}${op}...}" is not supported by Flux; use ":-", ":=" or "="`, exprStart);
    }
    this.closing();
    return record(name, nameStart);
  }
}

/** Every `${...}` in a string; `$$` is an escape (`$${var}` stays literal `${var}`). */
export function scanSubstitutions(text: string): SubstitutionScan {
  const uses: VariableUse[] = [];
  const problems: SubstitutionProblem[] = [];
  let i = text.indexOf('$');
  while (i >= 0 && i < text.length) {
    if (text[i + 1] === '$') {
      i = text.indexOf('$', i + 2);
      continue;
    }
    if (text[i + 1] !== '{') {
      i = text.indexOf('$', i + 1);
      continue;
    }
    const reader = new ExpressionReader(text, i + 2, uses, false);
    try {
      reader.read(i);
      i = text.indexOf('$', reader.pos);
    } catch (error) {
      if (error instanceof TooDeep) {
        i = error.at;
        continue;
      }
      if (!(error instanceof SyntaxFailure)) throw error;
      const end = Math.max(Math.min(error.at + 1, text.length), i + 2);
      problems.push({ code: error.code, message: error.message, start: i, end: error.code === 'subst-unbalanced' ? text.length : end });
      i = text.indexOf('$', i + 2);
    }
  }
  return { uses, problems };
}

/** A post-build variable name, as kustomize-controller validates `substitute` keys. */
export function isValidVariableName(name: string): boolean {
  return /^[_A-Za-z][_A-Za-z0-9]*$/.test(name);
}

export function hasDefault(use: VariableUse): boolean {
  return use.operator !== undefined && DEFAULTING.has(use.operator);
}

/** Objects labelled or annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` are left alone. */
export function substitutionDisabled(metadata: { labels?: unknown; annotations?: unknown } | undefined): boolean {
  const flag = (map: unknown): boolean =>
    typeof map === 'object' && map !== null && (map as Record<string, unknown>)['kustomize.toolkit.fluxcd.io/substitute'] === 'disabled';
  return flag(metadata?.labels) || flag(metadata?.annotations);
}

/** Every `${...}` in the scalars (keys and values) of a YAML text; comments are not substituted. */
export function scanYamlSubstitutions(text: string): SubstitutionScan {
  const result: SubstitutionScan = { uses: [], problems: [] };
  if (!text.includes('${')) return result;
  for (const token of new Parser().parse(text)) {
    const scalars: { offset: number; source: string }[] = [];
    const collect = (t: CST.Token | null | undefined): void => {
      if (!t) return;
      if (t.type === 'scalar' || t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar') scalars.push(t);
      if (t.type === 'block-scalar') {
        const last = t.props[t.props.length - 1];
        scalars.push({ offset: last && 'source' in last ? last.offset + last.source.length : t.offset, source: t.source });
      }
    };
    if (token.type !== 'document') continue;
    collect(token.value);
    CST.visit(token, (item) => {
      collect(item.key);
      collect(item.value);
    });
    for (const s of scalars) {
      const scan = scanSubstitutions(s.source);
      const shift = <T extends { start: number; end: number }>(x: T): T => ({ ...x, start: x.start + s.offset, end: x.end + s.offset });
      result.uses.push(...scan.uses.map((u) => ({ ...shift(u), nameStart: u.nameStart + s.offset })));
      result.problems.push(...scan.problems.map(shift));
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Where values come from

export interface SubstituteFromSource {
  readonly kind: 'ConfigMap' | 'Secret';
  readonly name: string;
  readonly optional: boolean;
  /** The keys the object defines, when it is known (in the workspace and readable). */
  readonly keys?: ReadonlySet<string>;
}

export interface SubstitutionContext {
  /** `spec.postBuild.substitute`. */
  readonly inline: ReadonlyMap<string, string>;
  /** `spec.postBuild.substituteFrom`, in order. */
  readonly from: readonly SubstituteFromSource[];
}

export type VariableOrigin =
  | { readonly kind: 'inline'; readonly value: string }
  | { readonly kind: 'substituteFrom'; readonly source: SubstituteFromSource }
  | { readonly kind: 'maybe'; readonly sources: readonly SubstituteFromSource[] }
  | { readonly kind: 'default'; readonly text: string }
  | { readonly kind: 'undefined' };

/** Inline `substitute` wins; then the last `substituteFrom` that defines it; then the default. */
export function variableOrigin(use: VariableUse, context: SubstitutionContext): VariableOrigin {
  const inline = context.inline.get(use.name);
  if (inline !== undefined) return { kind: 'inline', value: inline };
  const defining = [...context.from].reverse().find((s) => s.keys?.has(use.name));
  if (defining) return { kind: 'substituteFrom', source: defining };
  const unknown = context.from.filter((s) => s.keys === undefined);
  if (unknown.length > 0) return { kind: 'maybe', sources: unknown };
  if (hasDefault(use) && use.defaultText !== undefined) return { kind: 'default', text: use.defaultText };
  return { kind: 'undefined' };
}

/** Hover text (Markdown) for a `${var}`. */
export function describeVariable(use: VariableUse, context: SubstitutionContext, kustomization: string): string {
  const origin = variableOrigin(use, context);
  const head = `**\${${use.name}}** — post-build variable of Kustomization \`${kustomization}\``;
  return `${head}\n\n${originText(origin)}`;
}

function originText(origin: VariableOrigin): string {
  switch (origin.kind) {
    case 'inline':
      return `Set inline in \`spec.postBuild.substitute\`: \`${origin.value}\``;
    case 'substituteFrom':
      return `From ${origin.source.kind} \`${origin.source.name}\` (\`spec.postBuild.substituteFrom\`)`;
    case 'maybe':
      return `Possibly from ${origin.sources.map((s) => `${s.kind} \`${s.name}\``).join(', ')} (not readable in the workspace)`;
    case 'default':
      return `Not set: the default \`${origin.text}\` is used`;
    case 'undefined':
      return 'Not set anywhere and no default: the build fails in strict mode (default from Flux 2.9), otherwise it becomes empty';
  }
}
