import type { Range } from 'vscode-languageserver';
import { metadataString, rootString } from '../documents/nodes';
import type { FileChange } from '../documents/store';
import type { YamlFile } from '../documents/yamlFile';

/** One Kubernetes object of the workspace: a section with apiVersion and kind. */
export interface IndexedObject {
  readonly uri: string;
  readonly sectionIndex: number;
  readonly sectionId: number;
  readonly apiVersion: string;
  /** API group ('' for the core group), and version. */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** The whole section, in file positions. */
  readonly range: Range;
}

/**
 * Dependency keys, shared with the engine's revalidation: `kind:<Kind>` changes when any object of
 * that kind is added, removed or edited; `obj:<Kind>/<namespace>/<name>` when that object does.
 */
export function kindKey(kind: string): string {
  return `kind:${kind}`;
}
export function objectKey(kind: string, namespace: string | undefined, name: string | undefined): string {
  return `obj:${kind}/${namespace ?? ''}/${name ?? ''}`;
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export type IndexListener = (changedKeys: ReadonlySet<string>) => void;

/** Every object of every known file, by kind, by file, with change events carrying dependency keys. */
export class ObjectIndex {
  private readonly byUri = new Map<string, IndexedObject[]>();
  /** Per file, objects by section index (sparse), so a lookup per section stays O(1). */
  private readonly bySection = new Map<string, (IndexedObject | undefined)[]>();
  private readonly byKindMap = new Map<string, Set<IndexedObject>>();
  private readonly listeners: IndexListener[] = [];

  onDidChange(listener: IndexListener): void {
    this.listeners.push(listener);
  }

  /** Objects of one kind, optionally restricted to an API group. */
  byKind(kind: string, group?: string): IndexedObject[] {
    const all = [...(this.byKindMap.get(kind) ?? [])];
    return group === undefined ? all : all.filter((o) => o.group === group);
  }

  /** Objects with that kind and name; with `namespace`, only those in it. */
  find(kind: string, name: string, namespace?: string): IndexedObject[] {
    return this.byKind(kind).filter((o) => o.name === name && (namespace === undefined || o.namespace === namespace));
  }

  inFile(uri: string): readonly IndexedObject[] {
    return this.byUri.get(uri) ?? [];
  }

  /** The object defined by one section of a file, if it has apiVersion and kind. */
  atSection(uri: string, sectionIndex: number): IndexedObject | undefined {
    return this.bySection.get(uri)?.[sectionIndex];
  }

  kinds(): string[] {
    return [...this.byKindMap.keys()];
  }

  all(): IndexedObject[] {
    return [...this.byUri.values()].flat();
  }

  /** Re-indexes a file after a store update and tells the listeners which keys changed. */
  apply(change: FileChange): void {
    const old = this.byUri.get(change.uri) ?? [];
    for (const o of old) this.byKindMap.get(o.kind)?.delete(o);
    const next = change.file ? indexFile(change.file, old) : [];
    if (next.length) {
      this.byUri.set(change.uri, next);
      const sections: (IndexedObject | undefined)[] = [];
      for (const o of next) sections[o.sectionIndex] = o;
      this.bySection.set(change.uri, sections);
    } else {
      this.byUri.delete(change.uri);
      this.bySection.delete(change.uri);
    }
    for (const o of next) {
      let set = this.byKindMap.get(o.kind);
      if (!set) this.byKindMap.set(o.kind, (set = new Set()));
      set.add(o);
    }
    for (const [kind, set] of this.byKindMap) if (set.size === 0) this.byKindMap.delete(kind);

    const keys = new Set<string>();
    const changedIds = new Set(change.removedSectionIds);
    for (const i of change.changedSections) {
      const id = change.file?.sections[i]?.id;
      if (id !== undefined) changedIds.add(id);
    }
    const oldIds = new Set(old.map((o) => o.sectionId));
    for (const o of [...old, ...next]) {
      if (changedIds.has(o.sectionId) || !oldIds.has(o.sectionId)) {
        keys.add(kindKey(o.kind));
        keys.add(objectKey(o.kind, o.namespace, o.name));
      }
    }
    if (keys.size) for (const listener of this.listeners) listener(keys);
  }
}

/** Objects of a file; entries of sections that neither changed nor moved are reused as they are. */
function indexFile(file: YamlFile, previous: readonly IndexedObject[]): IndexedObject[] {
  const reusable = new Map(previous.map((o) => [o.sectionId, o]));
  const objects: IndexedObject[] = [];
  for (const section of file.sections) {
    const old = reusable.get(section.id);
    if (old && old.sectionIndex === section.index && old.range.start.line === file.positionAt(section.start).line) {
      objects.push(old);
      continue;
    }
    const apiVersion = rootString(section.doc, 'apiVersion');
    const kind = rootString(section.doc, 'kind');
    if (!apiVersion || !kind) continue;
    const { group, version } = splitApiVersion(apiVersion);
    objects.push({
      uri: file.uri,
      sectionIndex: section.index,
      sectionId: section.id,
      apiVersion,
      group,
      version,
      kind,
      name: metadataString(section.doc, 'name'),
      namespace: metadataString(section.doc, 'namespace'),
      range: file.range(section, 0, section.text.length),
    });
  }
  return objects;
}
