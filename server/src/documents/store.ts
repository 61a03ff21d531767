import { TextDocument, type TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { YamlFile } from './yamlFile';

/** What a store update did to one file. `file` is undefined when the file was deleted. */
export interface FileChange {
  readonly uri: string;
  readonly file: YamlFile | undefined;
  readonly previous: YamlFile | undefined;
  /** Indexes (in `file`) of sections parsed anew. */
  readonly changedSections: readonly number[];
  /** Ids of `previous`'s sections that no longer exist. */
  readonly removedSectionIds: readonly number[];
}

export type FileChangeListener = (change: FileChange) => void;

/**
 * Every known YAML file by URI: open editor documents (the editor's text wins) and files read from
 * disk. Each update re-parses only the sections whose text changed and tells the listeners. Editor
 * changes are parsed on the next read, so a burst of keystrokes costs one parse. Only the first
 * `maxSections` sections of a file are parsed (see YamlFile.limit).
 */
export class DocumentStore {
  private readonly files = new Map<string, YamlFile>();
  private readonly open = new Map<string, TextDocument>();
  /** Open documents whose editor text changed since their last parse. */
  private readonly unparsed = new Set<string>();
  private readonly listeners: FileChangeListener[] = [];
  private maxSections = Number.POSITIVE_INFINITY;

  onDidChange(listener: FileChangeListener): void {
    this.listeners.push(listener);
  }

  /** The file as parsed from its latest text. */
  get(uri: string): YamlFile | undefined {
    if (this.unparsed.size) this.flush();
    return this.files.get(uri);
  }

  /** Parses the documents changed since their last parse, and tells the listeners. */
  flush(): FileChange[] {
    // Taken before parsing: a listener reading the store meanwhile does not parse a document twice.
    const uris = [...this.unparsed];
    this.unparsed.clear();
    return uris.map((uri) => this.update(uri, this.open.get(uri)!.getText(), this.open.get(uri)!.version));
  }

  /** Parses at most `max` sections per file from now on; files it changes are parsed again. */
  setMaxSections(max: number): FileChange[] {
    if (max === this.maxSections) return [];
    this.flush();
    this.maxSections = max;
    const affected = [...this.files.values()].filter((f) => f.limit !== undefined || f.sections.length > max);
    return affected.map((f) => this.update(f.uri, f.text, f.version));
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  openUris(): string[] {
    return [...this.open.keys()];
  }

  uris(): string[] {
    return [...this.files.keys()];
  }

  openDocument(uri: string, text: string, version: number): FileChange {
    this.open.set(uri, TextDocument.create(uri, 'yaml', version, text));
    this.unparsed.delete(uri);
    return this.update(uri, text, version);
  }

  /** Applies LSP content changes (incremental or full) to an open document's text; parsed on the next read. */
  changeDocument(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    const current = this.open.get(uri) ?? TextDocument.create(uri, 'yaml', version, this.get(uri)?.text ?? '');
    this.open.set(uri, TextDocument.update(current, [...changes], version));
    this.unparsed.add(uri);
  }

  /** The editor closed the document: it stays known with its last parsed text until disk says otherwise. */
  closeDocument(uri: string): void {
    this.open.delete(uri);
    this.unparsed.delete(uri);
  }

  /** Content read from disk; ignored while the document is open in the editor. */
  setFromDisk(uri: string, text: string): FileChange | undefined {
    if (this.open.has(uri)) return undefined;
    if (this.files.get(uri)?.text === text) return undefined;
    return this.update(uri, text, 0);
  }

  delete(uri: string): FileChange | undefined {
    const previous = this.files.get(uri);
    if (!previous || this.open.has(uri)) return undefined;
    this.files.delete(uri);
    return this.emit({ uri, file: undefined, previous, changedSections: [], removedSectionIds: previous.sections.map((s) => s.id) });
  }

  private update(uri: string, text: string, version: number): FileChange {
    const previous = this.files.get(uri);
    const { file, changed, removed } = YamlFile.reparse(uri, text, version, previous, this.maxSections);
    this.files.set(uri, file);
    return this.emit({ uri, file, previous, changedSections: changed, removedSectionIds: removed });
  }

  private emit(change: FileChange): FileChange {
    for (const listener of this.listeners) listener(change);
    return change;
  }
}
