import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { FluxContext } from './context';
import { TrustGate } from './trust';
import { registerClusterViews } from './cluster/ui/registerClusterViews';

let client: LanguageClient | undefined;

export async function activate(extension: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Flux GitOps', { log: true });
  extension.subscriptions.push(log);

  const serverModule = extension.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    synchronize: {
      configurationSection: 'fluxGitops',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}'),
    },
    initializationOptions: { globalStoragePath: extension.globalStorageUri.fsPath },
    outputChannel: log,
  };
  client = new LanguageClient('fluxGitops', 'Flux GitOps', serverOptions, clientOptions);
  const trust = new TrustGate({
    get isTrusted() {
      return vscode.workspace.isTrusted;
    },
    onDidGrant: (listener) => vscode.workspace.onDidGrantWorkspaceTrust(listener),
  });
  const ctx = new FluxContext(extension, client, log, trust);
  // The SOPS file systems exist from activation on: VS Code may restore a decrypted editor after a reload.
  void ctx.sops;
  registerCommands(ctx);
  registerClusterViews(ctx);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
