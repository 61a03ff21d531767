/**
 * kustomize's target selectors (patch and replacement targets): group, version, kind, name and namespace
 * are RE2 regular expressions anchored to the whole value; name and namespace match either the original or
 * the current id; labelSelector and annotationSelector are Kubernetes selector strings
 * (`a=b,c!=d,e in (f,g),!h`).
 */
import { RE2JS } from 're2js';
import { BuildError } from './problems';
import { effectiveNamespace, stringMapOf, type ResId, type Resource } from './resource';
import { scalarText, type Origin, type ValueMap } from './values';

export interface Selector {
  readonly group?: string;
  readonly version?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly annotationSelector?: string;
}

export function selectorFrom(map: ValueMap | undefined): Selector {
  if (!map) return {};
  const text = (key: string) => (map[key] === undefined || map[key] === null ? undefined : scalarText(map[key]));
  return {
    group: text('group'),
    version: text('version'),
    kind: text('kind'),
    name: text('name'),
    namespace: text('namespace'),
    labelSelector: text('labelSelector'),
    annotationSelector: text('annotationSelector'),
  };
}

/** A compiled selector; `origin` is where it is written, for its syntax errors. */
export class SelectorMatcher {
  private readonly group: RE2JS | undefined;
  private readonly version: RE2JS | undefined;
  private readonly kind: RE2JS | undefined;
  private readonly name: RE2JS | undefined;
  private readonly namespace: RE2JS | undefined;
  private readonly labels: Requirement[] | undefined;
  private readonly annotations: Requirement[] | undefined;

  constructor(
    readonly selector: Selector,
    origin: Origin,
  ) {
    const compile = (pattern: string | undefined): RE2JS | undefined => {
      if (!pattern) return undefined;
      try {
        return RE2JS.compile(`^(?:${pattern})$`);
      } catch (error) {
        throw new BuildError(`error parsing regexp: ${(error as Error).message}: \`${pattern}\``, origin);
      }
    };
    this.group = compile(selector.group);
    this.version = compile(selector.version);
    this.kind = compile(selector.kind);
    this.name = compile(selector.name);
    this.namespace = compile(selector.namespace);
    this.labels = selector.labelSelector ? parseLabelSelector(selector.labelSelector, origin) : undefined;
    this.annotations = selector.annotationSelector ? parseLabelSelector(selector.annotationSelector, origin) : undefined;
  }

  /** Group, version, kind and name against one id, the namespace against the text given. */
  matchesId(id: ResId, namespace: string): boolean {
    if (this.namespace && !this.namespace.matches(namespace)) return false;
    if (this.name && !this.name.matches(id.name)) return false;
    if (this.group && !this.group.matches(id.group)) return false;
    if (this.version && !this.version.matches(id.version)) return false;
    return !this.kind || this.kind.matches(id.kind);
  }

  matches(resource: Resource): boolean {
    const cur = resource.curId();
    const org = resource.orgId();
    if (this.namespace && !this.namespace.matches(effectiveNamespace(org)) && !this.namespace.matches(effectiveNamespace(cur))) return false;
    if (this.name && !this.name.matches(org.name) && !this.name.matches(cur.name)) return false;
    if (this.group && !this.group.matches(cur.group)) return false;
    if (this.version && !this.version.matches(cur.version)) return false;
    if (this.kind && !this.kind.matches(cur.kind)) return false;
    if (this.labels && !matchesRequirements(this.labels, stringMapOf(resource.obj, 'labels'))) return false;
    if (this.annotations && !matchesRequirements(this.annotations, stringMapOf(resource.obj, 'annotations'))) return false;
    return true;
  }
}

type Operator = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  readonly values: readonly string[];
}

function matchesRequirements(requirements: readonly Requirement[], labels: Record<string, string>): boolean {
  return requirements.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const value = labels[r.key];
    switch (r.operator) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
      case 'in':
        return has && r.values.includes(value!);
      case '!=':
      case 'notin':
        return !has || !r.values.includes(value!);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value!)) return false;
        const n = Number(value);
        return r.operator === 'gt' ? n > Number(r.values[0]) : n < Number(r.values[0]);
      }
    }
  });
}

/** Kubernetes' selector string syntax (labels.Parse). */
export function parseLabelSelector(text: string, origin: Origin): Requirement[] {
  const fail = (reason: string): never => {
    throw new BuildError(`unable to parse requirement: ${reason}`, origin);
  };
  const requirements: Requirement[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const word = (): string => {
    skipSpace();
    const start = i;
    while (i < text.length && !/[\s,()=!<>]/.test(text[i]!)) i++;
    return text.slice(start, i);
  };
  for (;;) {
    skipSpace();
    if (i >= text.length) break;
    let negated = false;
    if (text[i] === '!') {
      negated = true;
      i++;
    }
    const key = word();
    if (!key) fail(`found '${text[i] ?? 'EOS'}', expected: identifier`);
    if (negated) {
      requirements.push({ key, operator: '!', values: [] });
    } else {
      skipSpace();
      const rest = text.slice(i);
      if (i >= text.length || text[i] === ',') requirements.push({ key, operator: 'exists', values: [] });
      else if (rest.startsWith('==') || rest.startsWith('!=') || rest.startsWith('=')) {
        const op = rest.startsWith('!=') ? '!=' : '=';
        i += rest.startsWith('==') || rest.startsWith('!=') ? 2 : 1;
        requirements.push({ key, operator: op, values: [word()] });
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        i++;
        const value = word();
        if (!/^-?\d+$/.test(value)) fail(`for 'Gt', 'Lt' operators, the value must be an integer`);
        requirements.push({ key, operator: rest[0] === '>' ? 'gt' : 'lt', values: [value] });
      } else {
        const op = word();
        if (op !== 'in' && op !== 'notin') fail(`found '${op}', expected: in, notin, =, ==, !=, gt, lt`);
        skipSpace();
        if (text[i] !== '(') fail(`found '${text[i] ?? 'EOS'}', expected: '('`);
        i++;
        const values: string[] = [];
        for (;;) {
          values.push(word());
          skipSpace();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ')') {
            i++;
            break;
          }
          fail(`found '${text[i] ?? 'EOS'}', expected: ',', ')' or identifier`);
        }
        requirements.push({ key, operator: op as Operator, values });
      }
    }
    skipSpace();
    if (i >= text.length) break;
    if (text[i] !== ',') fail(`found '${text[i]}', expected: ',' or 'end of string'`);
    i++;
  }
  return requirements;
}
