/** "Flux: Encrypt File with SOPS", "Flux: Decrypt File with SOPS" (read-only view), "Flux: Edit SOPS File". */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { encryptFileContent, SopsError, writeFileAtomically } from '../../../server/src/sops';
import type { CommandSpec } from '../commands';
import type { FluxContext } from '../context';
import { decryptedUri, modeOf, originalPath } from './fsProvider';
import type { SessionMode } from './sessions';

/** The file a command acts on: a Uri or URI string argument (e.g. from a quick fix), else the active editor. */
export function targetUri(arg: unknown): vscode.Uri | undefined {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (typeof arg === 'string' && arg !== '') uri = arg.includes(':') && !/^[a-zA-Z]:[\\/]/.test(arg) ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  else uri = vscode.window.activeTextEditor?.document.uri;
  if (uri && modeOf(uri)) return vscode.Uri.file(originalPath(uri));
  return uri;
}

async function reportErrors(ctx: FluxContext, action: string, run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    // Engine errors never hold plaintext, so the message is safe to log and show.
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.error(`SOPS ${action}: ${message}`);
    void vscode.window.showErrorMessage(`SOPS ${action} failed: ${message.split('\n')[0]}`);
  }
}

function requireFile(arg: unknown): vscode.Uri {
  const uri = targetUri(arg);
  if (!uri || uri.scheme !== 'file') throw new Error('open a file saved on disk first (YAML, JSON, dotenv or binary), or pass its URI');
  return uri;
}

async function encryptFile(ctx: FluxContext, arg: unknown): Promise<void> {
  const uri = requireFile(arg);
  const feature = ctx.sops;
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) await open.save();
  const content = await readFile(uri.fsPath);
  let encrypted: string;
  try {
    encrypted = await encryptFileContent(uri.fsPath, content, feature.io);
  } catch (error) {
    if (!(error instanceof SopsError && error.kind === 'config' && /no age recipients/.test(error.message))) throw error;
    const recipient = await vscode.window.showInputBox({
      title: `Encrypt ${basename(uri.fsPath)} with SOPS`,
      prompt: 'No .sops.yaml creation rule applies: age recipient(s), comma-separated',
      placeHolder: 'age1…',
      ignoreFocusOut: true,
      validateInput: (v) => (/^\s*age1[0-9a-z]+(\s*,\s*age1[0-9a-z]+)*\s*$/.test(v) ? undefined : 'expected age1… recipients'),
    });
    if (!recipient) return;
    encrypted = await encryptFileContent(uri.fsPath, content, feature.io, { recipients: [recipient] });
  }
  await writeFileAtomically(uri.fsPath, encrypted);
  ctx.log.info(`SOPS: encrypted ${uri.fsPath}`);
  void vscode.window.showInformationMessage(`Encrypted ${basename(uri.fsPath)} with SOPS.`);
}

async function openDecrypted(ctx: FluxContext, arg: unknown, mode: SessionMode): Promise<void> {
  const uri = requireFile(arg);
  const { sessions } = ctx.sops;
  await sessions.open(mode, uri.fsPath);
  // The URI keeps the file's extension last, so VS Code picks the language (YAML, JSON, …) from it.
  const document = await vscode.workspace.openTextDocument(decryptedUri(mode, uri));
  await vscode.window.showTextDocument(document, { preview: mode === 'view' });
  ctx.log.info(`SOPS: opened ${uri.fsPath} ${mode === 'edit' ? 'for editing' : 'read-only'} (decrypted in memory)`);
}

export const SOPS_COMMANDS: readonly CommandSpec[] = [
  { id: 'fluxGitops.sops.encryptFile', create: (ctx) => (arg?: unknown) => reportErrors(ctx, 'encrypt', () => encryptFile(ctx, arg)) },
  // Encrypting reads only the file and the workspace's .sops.yaml, never a key: it works in Restricted Mode.
  {
    id: 'fluxGitops.sops.decryptFile',
    needsTrust: 'decryption',
    create: (ctx) => (arg?: unknown) => reportErrors(ctx, 'decrypt', () => openDecrypted(ctx, arg, 'view')),
  },
  {
    id: 'fluxGitops.sops.editFile',
    needsTrust: 'decryption',
    create: (ctx) => (arg?: unknown) => reportErrors(ctx, 'edit', () => openDecrypted(ctx, arg, 'edit')),
  },
];
