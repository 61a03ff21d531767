/** Wires the SOPS feature into VS Code once per extension context: file systems, CodeLens, cleanup. */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import { nodeSopsIo } from '../../../server/src/sops/io';
import type { FluxContext } from '../context';
import { SopsCodeLensProvider } from './codeLens';
import { EDIT_SCHEME, SopsFileSystemProvider, VIEW_SCHEME, modeOf, originalPath } from './fsProvider';
import { SopsSessions } from './sessions';

export interface SopsFeature {
  readonly sessions: SopsSessions;
  readonly io: ReturnType<typeof nodeSopsIo>;
  ageKeyFile(): string | undefined;
}

const features = new WeakMap<FluxContext, SopsFeature>();

/** The `fluxGitops.sops.ageKeyFile` setting, `~` and workspace-relative paths resolved. */
function ageKeyFileSetting(): string | undefined {
  const value = vscode.workspace.getConfiguration('fluxGitops.sops').get<string>('ageKeyFile')?.trim();
  if (!value) return undefined;
  if (value.startsWith('~/')) return join(homedir(), value.slice(2));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  return isAbsolute(value) || !folder ? value : join(folder, value);
}

export function sopsFeature(ctx: FluxContext): SopsFeature {
  const existing = features.get(ctx);
  if (existing) return existing;
  const io = nodeSopsIo();
  const sessions = new SopsSessions(io, ageKeyFileSetting);
  const subscriptions = ctx.extension.subscriptions;
  subscriptions.push(
    vscode.workspace.registerFileSystemProvider(EDIT_SCHEME, new SopsFileSystemProvider('edit', sessions), { isCaseSensitive: true }),
    vscode.workspace.registerFileSystemProvider(VIEW_SCHEME, new SopsFileSystemProvider('view', sessions), { isCaseSensitive: true, isReadonly: true }),
    vscode.languages.registerCodeLensProvider(
      [...['yaml', 'json', 'jsonc', 'dotenv'].map((language) => ({ language, scheme: 'file' })), { scheme: 'file', pattern: '**/*.env' }],
      new SopsCodeLensProvider(io, ageKeyFileSetting),
    ),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      const mode = modeOf(doc.uri);
      if (mode) sessions.close(mode, originalPath(doc.uri));
    }),
    // A closed tab drops its plaintext at once (the document itself may linger in VS Code's model).
    vscode.window.tabGroups.onDidChangeTabs((event) => {
      for (const tab of event.closed) {
        const uri = tab.input instanceof vscode.TabInputText ? tab.input.uri : undefined;
        const mode = uri && modeOf(uri);
        if (!uri || !mode || stillShown(uri)) continue;
        sessions.close(mode, originalPath(uri));
      }
    }),
    { dispose: () => sessions.openPaths().forEach((s) => sessions.close(s.mode, s.path)) },
  );
  const feature: SopsFeature = { sessions, io, ageKeyFile: ageKeyFileSetting };
  features.set(ctx, feature);
  return feature;
}

function stillShown(uri: vscode.Uri): boolean {
  return vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString()));
}
