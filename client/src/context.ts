import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

/** What every client feature gets: the extension context, the language client and the output log. */
export interface FluxContext {
  readonly extension: vscode.ExtensionContext;
  readonly client: LanguageClient;
  readonly log: vscode.LogOutputChannel;
}
