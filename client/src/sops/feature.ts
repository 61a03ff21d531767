/** Wires the SOPS feature into VS Code, once per activation (FluxContext owns it): file systems, CodeLens, cleanup. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { nodeSopsIo } from '../../../server/src/sops';
import type { FluxContext } from '../context';
import { SopsCodeLensProvider } from './codeLens';
import { decryptedStatus } from './decryptedName';
import { EDIT_SCHEME, SopsFileSystemProvider, VIEW_SCHEME, modeOf, originalPath } from './fsProvider';
import { SopsSessions, type SessionMode } from './sessions';

export interface SopsFeature {
  readonly sessions: SopsSessions;
  readonly io: ReturnType<typeof nodeSopsIo>;
  ageKeyFile(): string | undefined;
}

/** The `fluxGitops.sops.ageKeyFile` setting, `~` and workspace-relative paths resolved. */
function ageKeyFileSetting(): string | undefined {
  const value = vscode.workspace.getConfiguration('fluxGitops.sops').get<string>('ageKeyFile')?.trim();
  if (!value) return undefined;
  if (value.startsWith('~/')) return join(homedir(), value.slice(2));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return isAbsolute(value) || !folder ? value : join(folder, value);
}

export function startSops(ctx: Pick<FluxContext, 'extension' | 'log' | 'trust'>): SopsFeature {
  const io = nodeSopsIo();
  // Every decryption asks for the key file setting first: in Restricted Mode that refuses, so no key is
  // read, even for a decrypted editor VS Code restores after a reload.
  const keyFileForDecryption = (): string | undefined => {
    ctx.trust.require('decryption');
    return ageKeyFileSetting();
  };
  const sessions = new SopsSessions(io, keyFileForDecryption);
  const subscriptions = ctx.extension.subscriptions;
  const lastReason = new Map<string, string>();
  const unwritten = (uri: vscode.Uri, reason: string): void => {
    // Once per reason and file: saves come every few hundred milliseconds while typing.
    if (lastReason.get(uri.path) === reason) return;
    lastReason.set(uri.path, reason);
    ctx.log.warn(`SOPS: ${originalPath(uri)} not written: ${reason}`);
    void vscode.window.showWarningMessage(`SOPS: your edit of ${originalPath(uri)} is kept in memory only, not written: ${reason.split('\n')[0]}`);
  };
  const closed = (uri: vscode.Uri, mode: SessionMode): void => {
    lastReason.delete(uri.path);
    const reason = sessions.close(mode, originalPath(uri));
    if (reason) void vscode.window.showWarningMessage(`SOPS: the last edit of ${originalPath(uri)} was discarded (it could not be written: ${reason.split('\n')[0]})`);
  };
  subscriptions.push(
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, new SopsFileSystemProvider('edit', sessions, unwritten), { isCaseSensitive: true }),
    vscode.workspace.registerFileSystemProvider(VIEW_SCHEME, new SopsFileSystemProvider('view', sessions), { isCaseSensitive: true, isReadonly: true }),
    // The CodeLens says whether a local key can decrypt: it reads the keys, so only in a trusted workspace.
    ctx.trust.whenTrusted(() =>
      subscriptions.push(
        vscode.languages.registerCodeLensProvider(
          [...['yaml', 'json', 'jsonc', 'dotenv'].map((language) => ({ language, scheme: 'file' })), { scheme: 'file', pattern: '**/*.env' }],
          new SopsCodeLensProvider(io, keyFileForDecryption),
        ),
      ),
    ),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const mode = modeOf(doc.uri);
      if (mode) closed(doc.uri, mode);
    }),
    autoSave(),
    decryptedStatusItem(),
    // A closed tab drops its plaintext at once (the document itself may linger in VS Code's model).
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.closed) {
        const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
        const mode = uri && modeOf(uri);
        if (!uri || !mode || stillShown(uri)) continue;
        closed(uri, mode);
      }
    }),
    { dispose: () => sessions.openPaths().forEach((s) => sessions.close(s.mode, s.path)) },
  );
  return { sessions, io, ageKeyFile: keyFileForDecryption };
}

/**
 * Saves a decrypted editor shortly after each change. VS Code backs up every dirty editor to its
 * user-data folder about a second after a change, whatever its scheme: the plaintext would reach
 * the disk. A save re-encrypts into the file (or keeps an unwritable edit in memory), so the
 * editor is clean again before that backup.
 */
function autoSave(): vscode.Disposable {
  const timers = new Map<string, NodeJS.Timeout>();
  const schedule = (document: vscode.TextDocument, retries: number): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        if (!document.isDirty || document.isClosed) return;
        // A save VS Code did not carry out (one already in flight when the text changed again) leaves the
        // editor dirty with no change event to come: try again rather than wait for the backup.
        void document.save().then(() => {
          if (document.isDirty && !document.isClosed && retries > 0 && !timers.has(key)) schedule(document, retries - 1);
        });
      }, AUTO_SAVE_MS),
    );
  };
  const listener = vscode.workspace.onDidChangeTextDocument((event) => {
    if (modeOf(event.document.uri) === 'edit' && event.document.isDirty) schedule(event.document, MAX_SAVE_RETRIES);
  });
  return new vscode.Disposable(() => {
    listener.dispose();
    timers.forEach((t) => clearTimeout(t));
  });
}

/** Well under VS Code's one-second backup delay, with room for the save itself. */
const AUTO_SAVE_MS = 150;
/** Saves tried again after one that left the editor dirty (about a second and a half of retries). */
const MAX_SAVE_RETRIES = 10;

/** "SOPS: decrypted in memory" in the status bar while a decrypted editor is active. */
function decryptedStatusItem(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('fluxGitops.sopsDecrypted', vscode.StatusBarAlignment.Left, 100);
  item.name = 'SOPS decrypted editor';
  const update = (editor: vscode.TextEditor | undefined): void => {
    const mode = editor && modeOf(editor.document.uri);
    if (!editor || !mode) return item.hide();
    const status = decryptedStatus(mode, originalPath(editor.document.uri));
    item.text = status.text;
    item.tooltip = status.tooltip;
    item.show();
  };
  update(vscode.window.activeTextEditor);
  const listener = vscode.window.onDidChangeActiveTextEditor(update);
  return vscode.Disposable.from(listener, item);
}

function stillShown(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
}
