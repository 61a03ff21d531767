/**
 * The LSP boundary's URI translation. The engine knows a file by one URI, VS Code's spelling
 * (canonicalUri); clients such as Neovim spell some of them differently (`apps(old)` unencoded).
 * Every URI a client sends goes through `fromClient`, which remembers that client's spelling;
 * every URI sent back goes through `toClient`, so the client sees its own buffer's URI. Files the
 * client never named keep the canonical spelling, an equivalent URI.
 */
import type { CodeAction, Diagnostic, DocumentLink, Location, WorkspaceEdit } from 'vscode-languageserver';
import { canonicalUri } from '../workspace/uri';

export class UriSpellings {
  /** Canonical URI → the client's spelling, only where they differ (never for VS Code). */
  private readonly spellings = new Map<string, string>();

  /** The engine's URI for one the client sent; its spelling is remembered for the answers. */
  fromClient(uri: string): string {
    const canonical = canonicalUri(uri);
    if (canonical === uri) this.spellings.delete(canonical);
    else this.spellings.set(canonical, uri);
    return canonical;
  }

  toClient(uri: string): string {
    return this.spellings.get(uri) ?? uri;
  }

  locations(locations: readonly Location[]): Location[] {
    return locations.map((l) => ({ ...l, uri: this.toClient(l.uri) }));
  }

  diagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
    if (this.spellings.size === 0) return diagnostics;
    return diagnostics.map((d) =>
      d.relatedInformation
        ? { ...d, relatedInformation: d.relatedInformation.map((r) => ({ ...r, location: { ...r.location, uri: this.toClient(r.location.uri) } })) }
        : d,
    );
  }

  documentLinks(links: readonly DocumentLink[]): DocumentLink[] {
    return links.map((l) => (l.target === undefined ? l : { ...l, target: this.toClient(l.target) }));
  }

  /** Command arguments are left alone: their meaning belongs to the command. */
  codeActions(actions: readonly CodeAction[]): CodeAction[] {
    return actions.map((a) => ({
      ...a,
      ...(a.diagnostics && { diagnostics: this.diagnostics(a.diagnostics) }),
      ...(a.edit && { edit: this.workspaceEdit(a.edit) }),
    }));
  }

  /** The engine's fixes edit through `changes` only. */
  private workspaceEdit(edit: WorkspaceEdit): WorkspaceEdit {
    if (!edit.changes) return edit;
    return { ...edit, changes: Object.fromEntries(Object.entries(edit.changes).map(([uri, edits]) => [this.toClient(uri), edits])) };
  }
}
