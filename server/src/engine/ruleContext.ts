import type { Document, Node } from 'yaml';
import type { Range } from 'vscode-languageserver';
import type { Section } from '../documents/section';
import type { DocumentStore } from '../documents/store';
import type { YamlFile } from '../documents/yamlFile';
import type { SchemaStore } from '../schema/store';
import { schemaKey } from '../schema/types';
import type { Settings } from '../settings';
import { kindKey, objectKey, type IndexedObject, type ObjectIndex } from '../workspace/objectIndex';
import type { FileRuleContext, IndexView, SchemaView, SectionRuleContext } from '../features/context';

/** Dependency keys recorded by the contexts; the engine invalidates cached results by them. */
export const SUBSTITUTION_KEY = 'substitution';
export const SETTINGS_KEY = 'settings';
export const ANY_SCHEMA = 'schema:*';
export const ANY_INDEX = 'index:*';
export function fileKey(uri: string): string {
  return `file:${uri}`;
}

/** What the contexts read from. */
export interface RuleEnvironment {
  readonly documents: DocumentStore;
  readonly index: ObjectIndex;
  readonly schemas: SchemaStore;
  readonly settings: Settings;
  readonly substituted: ((uri: string) => boolean) | undefined;
}

/**
 * A rule context that records what the rule reads into `deps`. One context serves all rules of a
 * file or section; the engine gives each rule a fresh `deps` set before running it, so results are
 * cached and invalidated per rule.
 */
export class TrackedFileContext implements FileRuleContext {
  deps = new Set<string>();
  readonly uri: string;
  readonly settings: Settings;
  private indexView: IndexView | undefined;
  private schemaView: SchemaView | undefined;

  constructor(
    protected readonly env: RuleEnvironment,
    readonly file: YamlFile,
  ) {
    this.uri = file.uri;
    this.settings = env.settings;
  }

  /** The index, recording lookups (made on first use: most sections never need it). */
  get index(): IndexView {
    const index = this.env.index;
    return (this.indexView ??= {
      byKind: (kind, group) => (this.deps.add(kindKey(kind)), index.byKind(kind, group)),
      find: (kind, name, namespace) => {
        this.deps.add(namespace === undefined ? kindKey(kind) : objectKey(kind, namespace, name));
        return index.find(kind, name, namespace);
      },
      inFile: (uri) => (this.deps.add(fileKey(uri)), index.inFile(uri)),
      atSection: (uri, i) => (this.deps.add(fileKey(uri)), index.atSection(uri, i)),
      all: () => (this.deps.add(ANY_INDEX), index.all()),
      kinds: () => (this.deps.add(ANY_INDEX), index.kinds()),
    });
  }

  /** The schema store, recording lookups. */
  get schemas(): SchemaView {
    const schemas = this.env.schemas;
    return (this.schemaView ??= {
      versions: (group, kind) => (this.deps.add(schemaKey(group, kind)), schemas.versions(group, kind)),
      lookup: (group, version, kind) => (this.deps.add(schemaKey(group, kind)), schemas.lookup(group, version, kind)),
      all: () => (this.deps.add(ANY_SCHEMA), schemas.all()),
      resolve: (node) => schemas.resolve(node),
    });
  }

  readonly mayBeSubstituted = (): boolean => {
    this.deps.add(SUBSTITUTION_KEY);
    return this.env.substituted ? this.env.substituted(this.uri) : true;
  };

  readonly fileAt = (uri: string): YamlFile | undefined => (this.deps.add(fileKey(uri)), this.env.documents.get(uri));

  readonly depend = (key: string): void => {
    this.deps.add(key);
  };
}

export class TrackedSectionContext extends TrackedFileContext implements SectionRuleContext {
  readonly doc: Document.Parsed;
  readonly object: IndexedObject | undefined;

  constructor(
    env: RuleEnvironment,
    file: YamlFile,
    readonly section: Section,
  ) {
    super(env, file);
    this.doc = section.doc;
    this.object = env.index.atSection(file.uri, section.index);
  }

  readonly range = (start: number, end: number): Range => this.file.range(this.section, start, end);

  readonly nodeRange = (node: Node): Range => this.file.range(this.section, node.range?.[0] ?? 0, node.range?.[1] ?? 0);
}
