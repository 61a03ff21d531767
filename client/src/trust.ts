/**
 * Workspace trust. In a workspace the user has not trusted (VS Code's Restricted Mode) the extension
 * keeps its editing features (the language server reads only the workspace and the schemas it ships)
 * and refuses what reads files or reaches machines outside the workspace: no kubeconfig is read and
 * no cluster is contacted, no age key is read. VS Code itself ignores the workspace's values of the
 * settings listed in package.json `capabilities.untrustedWorkspaces.restrictedConfigurations`.
 * Granting trust starts the refused features at once; VS Code reloads the window when trust is taken
 * back, so a gate only ever opens. No VS Code import: extension.ts passes VS Code's trust in.
 */

/** VS Code's trust, as extension.ts passes it in. */
export interface TrustSource {
  readonly isTrusted: boolean;
  onDidGrant(listener: () => void): { dispose(): void };
}

/** What Restricted Mode switches off. */
export type RestrictedFeature = 'cluster' | 'decryption';

/** The message that says a feature is off and why (the cluster one is also the Clusters view's welcome text). */
export const RESTRICTED_MESSAGES: Readonly<Record<RestrictedFeature, string>> = {
  cluster: 'Cluster features are disabled in Restricted Mode: Flux GitOps reads no kubeconfig and connects to no cluster until you trust this workspace.',
  decryption: 'SOPS decryption is disabled in Restricted Mode: Flux GitOps reads no age key until you trust this workspace.',
};

/** VS Code's own command that opens the Workspace Trust editor. */
export const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';
export const MANAGE_TRUST_LABEL = 'Manage Workspace Trust';

export class RestrictedModeError extends Error {
  constructor(readonly feature: RestrictedFeature) {
    super(RESTRICTED_MESSAGES[feature]);
    this.name = 'RestrictedModeError';
  }
}

export class TrustGate {
  constructor(private readonly source: TrustSource) {}

  get trusted(): boolean {
    return this.source.isTrusted;
  }

  /** Throws RestrictedModeError unless the workspace is trusted: called before reading a kubeconfig or a key. */
  require(feature: RestrictedFeature): void {
    if (!this.trusted) throw new RestrictedModeError(feature);
  }

  /**
   * Runs `start` now in a trusted workspace, else once when trust is granted (no reload needed).
   * Disposing the result before then cancels it.
   */
  whenTrusted(start: () => void): { dispose(): void } {
    if (this.trusted) {
      start();
      return { dispose: () => undefined };
    }
    let started = false;
    const listener = this.source.onDidGrant(() => {
      if (started) return;
      started = true;
      listener.dispose();
      start();
    });
    return listener;
  }
}

/**
 * A command that needs trust for `feature`: in Restricted Mode it calls `refuse` (which tells the user
 * and offers to manage trust) instead of running; once trusted it runs.
 */
export function gatedCommand(
  gate: TrustGate,
  feature: RestrictedFeature | undefined,
  run: (...args: unknown[]) => unknown,
  refuse: (feature: RestrictedFeature) => unknown,
): (...args: unknown[]) => unknown {
  if (!feature) return run;
  return (...args) => (gate.trusted ? run(...args) : refuse(feature));
}
