/**
 * The engine's per-rule diagnostics cache. Each rule's result is cached per parsed section (by parse
 * id), or per file for file rules, together with the dependency keys that rule read (`kind:K`,
 * `obj:K/ns/name`, `schema:group/K`, `file:uri`, `substitution`, `settings`, `schema:*`, `index:*`,
 * or any key a rule declares with `depend`); `invalidate` drops only the results whose keys changed.
 * Cached diagnostics of a section that moved are shifted by whole lines (sections always start at
 * column 0).
 */
import type { Diagnostic, Range } from 'vscode-languageserver';
import type { YamlFile } from '../documents/yamlFile';
import type { Rule } from '../features/context';
import { ANY_INDEX, ANY_SCHEMA, SETTINGS_KEY, TrackedFileContext, TrackedSectionContext, type RuleEnvironment } from './ruleContext';
import { fixesOf } from '../features/quickFix';
import { documentLimitDiagnostic } from '../features/validation/documentLimit';

/** One rule's result on one section (or file), with what it read. */
interface RuleResult {
  readonly startLine: number;
  readonly diagnostics: readonly Diagnostic[];
  readonly deps: ReadonlySet<string>;
}

/** Per section id, per section rule (by position in the rule list); per file rule likewise. */
interface FileCache {
  readonly sections: Map<number, (RuleResult | undefined)[]>;
  file: (RuleResult | undefined)[];
}

export class DiagnosticsCache {
  private readonly cache = new Map<string, FileCache>();

  constructor(
    private readonly rules: readonly Rule[],
    private readonly log: ((message: string) => void) | undefined,
  ) {}

  /** Every diagnostic of a file: YAML syntax plus rules, from cache where nothing they read changed. */
  diagnostics(uri: string, file: YamlFile, env: RuleEnvironment): Diagnostic[] {
    let entry = this.cache.get(uri);
    if (!entry) this.cache.set(uri, (entry = { sections: new Map(), file: [] }));
    const sectionRules = this.rules.filter((r) => r.scope === 'section');
    const fileRules = this.rules.filter((r) => r.scope === 'file');
    const result: Diagnostic[] = [];
    const live = new Set<number>();
    for (const section of file.sections) {
      live.add(section.id);
      const startLine = file.positionAt(section.start).line;
      let results = entry.sections.get(section.id);
      if (!results) entry.sections.set(section.id, (results = []));
      let ctx: TrackedSectionContext | undefined;
      const found: Diagnostic[] = [];
      for (const [i, rule] of sectionRules.entries()) {
        let cached = results[i];
        if (!cached) {
          ctx ??= new TrackedSectionContext(env, file, section);
          cached = results[i] = this.runRule(rule, ctx, startLine);
        }
        if (cached.diagnostics.length) found.push(...shift(cached.diagnostics, startLine - cached.startLine, uri));
      }
      if (found.length > 1) found.sort(byPosition);
      result.push(...found);
    }
    for (const id of entry.sections.keys()) if (!live.has(id)) entry.sections.delete(id);
    let fileCtx: TrackedFileContext | undefined;
    for (const [i, rule] of fileRules.entries()) {
      let cached = entry.file[i];
      if (!cached) {
        fileCtx ??= new TrackedFileContext(env, file);
        cached = entry.file[i] = this.runRule(rule, fileCtx, 0);
      }
      result.push(...cached.diagnostics);
    }
    // Said even when the problems before it fill maxProblems.
    const limit = documentLimitDiagnostic(file);
    if (!limit) return result.slice(0, env.settings.maxProblems);
    return [...result.slice(0, env.settings.maxProblems - 1), limit];
  }

  /** Drops cached results that read any of `keys`; returns the files that lost some. */
  invalidate(keys: Iterable<string>): string[] {
    const changed = new Set(keys);
    if (changed.size === 0) return [];
    const anySchema = [...changed].some((k) => k.startsWith('schema:'));
    const anyIndex = [...changed].some((k) => k.startsWith('kind:') || k.startsWith('obj:'));
    const hit = (deps: ReadonlySet<string>): boolean => {
      if ((anySchema && deps.has(ANY_SCHEMA)) || (anyIndex && deps.has(ANY_INDEX))) return true;
      for (const key of deps) if (changed.has(key)) return true;
      return false;
    };
    const affected: string[] = [];
    const drop = (results: (RuleResult | undefined)[]): boolean => {
      let dropped = false;
      for (let i = 0; i < results.length; i++) {
        const r = results[i];
        if (r && hit(r.deps)) {
          results[i] = undefined;
          dropped = true;
        }
      }
      return dropped;
    };
    for (const [uri, entry] of this.cache) {
      let dropped = drop(entry.file);
      for (const results of entry.sections.values()) if (drop(results)) dropped = true;
      if (dropped) affected.push(uri);
    }
    return affected;
  }

  /** The file's text changed: its file rules run again (its section results stay, by parse id). */
  fileChanged(uri: string): void {
    const entry = this.cache.get(uri);
    if (entry) entry.file = [];
  }

  /** Nobody shows the file's diagnostics now (or it is gone): keeping them would only cost memory and invalidation work. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  /** Runs one rule with a fresh dependency set. A failing rule is logged and yields nothing. */
  private runRule(rule: Rule, ctx: TrackedSectionContext | TrackedFileContext, startLine: number): RuleResult {
    const deps = new Set<string>([SETTINGS_KEY]);
    ctx.deps = deps;
    let diagnostics: Diagnostic[] = [];
    try {
      // The scope decides which context the rule gets; a section context serves file rules too.
      diagnostics = (rule.run as (c: TrackedSectionContext | TrackedFileContext) => Diagnostic[])(ctx);
    } catch (error) {
      this.log?.(`rule ${rule.id} failed on ${ctx.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    return { startLine, diagnostics, deps };
  }
}

function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

function shift(diagnostics: readonly Diagnostic[], lines: number, uri: string): readonly Diagnostic[] {
  if (lines === 0) return diagnostics;
  const move = (r: Range): Range => ({ start: { line: r.start.line + lines, character: r.start.character }, end: { line: r.end.line + lines, character: r.end.character } });
  return diagnostics.map((d) => {
    const fixes = fixesOf(d);
    const moved: Diagnostic = { ...d, range: move(d.range) };
    if (d.relatedInformation) {
      moved.relatedInformation = d.relatedInformation.map((r) => (r.location.uri === uri ? { ...r, location: { uri, range: move(r.location.range) } } : r));
    }
    if (fixes.length) moved.data = { fixes: fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, range: move(e.range) })) })) };
    return moved;
  });
}
