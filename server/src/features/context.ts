import type { Document, Node } from 'yaml';
import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import type { Section } from '../documents/section';
import type { YamlFile } from '../documents/yamlFile';
import type { Settings } from '../settings';
import type { IndexedObject, ObjectIndex } from '../workspace/objectIndex';
import type { SchemaStore } from '../schema/store';

/** The parts of the object index a feature may read (the engine records what a rule reads). */
export type IndexView = Pick<ObjectIndex, 'byKind' | 'find' | 'inFile' | 'atSection' | 'all' | 'kinds'>;
/** The parts of the schema store a feature may read. */
export type SchemaView = Pick<SchemaStore, 'versions' | 'lookup' | 'all' | 'resolve'>;

/** What every validation rule gets. Ranges are file positions; offsets into `doc` are section-relative. */
export interface FileRuleContext {
  readonly uri: string;
  readonly file: YamlFile;
  readonly index: IndexView;
  readonly schemas: SchemaView;
  readonly settings: Settings;
  /**
   * Whether Flux post-build substitution may rewrite this file, so `${...}` values must not get
   * type or pattern errors. Defaults to true for every file until a policy is set on the engine.
   */
  mayBeSubstituted(): boolean;
  /** Another known file (parsed), recording the dependency on it; undefined when not known. */
  fileAt(uri: string): YamlFile | undefined;
  /** Declares that the result depends on something the engine cannot see being read (see the keys in engine/ruleContext.ts). */
  depend(key: string): void;
}

export interface SectionRuleContext extends FileRuleContext {
  readonly section: Section;
  readonly doc: Document.Parsed;
  /** The object this section defines (apiVersion + kind present), if any. */
  readonly object: IndexedObject | undefined;
  /** File range of a section-relative offset span. */
  range(start: number, end: number): Range;
  /** File range of a node's value. */
  nodeRange(node: Node): Range;
}

/**
 * A validation rule: a plain function from a context to diagnostics. Section rules run per `---`
 * section and are cached until the section's text or something they read changes; file rules run
 * whenever their file changes or something they read changes.
 */
export type Rule =
  | { readonly id: string; readonly scope: 'section'; run(ctx: SectionRuleContext): Diagnostic[] }
  | { readonly id: string; readonly scope: 'file'; run(ctx: FileRuleContext): Diagnostic[] };

/** What position-based features (completion, hover) get. */
export interface PositionContext {
  readonly uri: string;
  readonly file: YamlFile;
  readonly section: Section;
  /** Cursor offset relative to the section start. */
  readonly offset: number;
  readonly position: Position;
  readonly object: IndexedObject | undefined;
  readonly index: IndexView;
  readonly schemas: SchemaView;
  readonly settings: Settings;
}

export interface CodeActionContextParams {
  readonly uri: string;
  readonly file: YamlFile;
  readonly range: Range;
  readonly diagnostics: readonly Diagnostic[];
  readonly index: IndexView;
  readonly schemas: SchemaView;
}
