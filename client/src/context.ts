import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ClusterFeature } from './cluster/ui/clusterFeature';
import { startSops, type SopsFeature } from './sops/feature';
import type { TrustGate } from './trust';

/**
 * The client's one context, built at activation (extension.ts) and passed to every command factory
 * and view: the extension context, the language client, the output log, workspace trust, and the
 * features it owns, each created once, on first use.
 */
export class FluxContext {
  private clusterFeature: ClusterFeature | undefined;
  private sopsFeature: SopsFeature | undefined;

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly client: LanguageClient,
    readonly log: vscode.LogOutputChannel,
    readonly trust: TrustGate,
  ) {}

  /**
   * The live cluster (kubeconfig, sessions, Git HEAD). In Restricted Mode it throws
   * RestrictedModeError instead: the kubeconfig is read only in a trusted workspace.
   */
  get cluster(): ClusterFeature {
    this.trust.require('cluster');
    if (!this.clusterFeature) {
      this.clusterFeature = new ClusterFeature(this);
      this.extension.subscriptions.push(this.clusterFeature);
    }
    return this.clusterFeature;
  }

  /** SOPS: the decrypted file systems, the CodeLens and their cleanup. Decryption asks the trust gate on every read. */
  get sops(): SopsFeature {
    this.sopsFeature ??= startSops(this);
    return this.sopsFeature;
  }
}
