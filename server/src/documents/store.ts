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
 * disk. Each update re-parses only the sections whose text changed and tells the listeners.
 */
export class DocumentStore {
  private readonly files = new Map<string, YamlFile>();
  private readonly open = new Map<string, TextDocument>();
  private readonly listeners: FileChangeListener[] = [];

  onDidChange(listener: FileChangeListener): void {
    this.listeners.push(listener);
  }

  get(uri: string): YamlFile | undefined {
    return this.files.get(uri);
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
    return this.update(uri, text, version);
  }

  /** Applies LSP content changes (incremental or full) to an open document. */
  changeDocument(uri: string, changes: readonly TextDocumentContentChangeEvent[], version: number): FileChange {
    const current = this.open.get(uri) ?? TextDocument.create(uri, 'yaml', version, this.files.get(uri)?.text ?? '');
    const next = TextDocument.update(current, [...changes], version);
    this.open.set(uri, next);
    return this.update(uri, next.getText(), version);
  }

  /** The editor closed the document: it stays known with its last text until disk says otherwise. */
  closeDocument(uri: string): void {
    this.open.delete(uri);
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
    const { file, changed, removed } = YamlFile.reparse(uri, text, version, previous);
    this.files.set(uri, file);
    return this.emit({ uri, file, previous, changedSections: changed, removedSectionIds: removed });
  }

  private emit(change: FileChange): FileChange {
    for (const listener of this.listeners) listener(change);
    return change;
  }
}
