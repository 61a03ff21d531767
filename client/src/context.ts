import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { TrustGate } from './trust';

/** What every client feature gets: the extension context, the language client, the output log and workspace trust. */
export interface FluxContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly log: vscode.LogOutputChannel;
  readonly trust: TrustGate;
}
