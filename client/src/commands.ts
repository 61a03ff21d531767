import * as vscode from 'vscode';
import type { FluxContext } from './context';
import { CLUSTER_COMMANDS } from './cluster/ui/clusterCommands';
import { SOPS_COMMANDS } from './sops/commands';
import { MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL, RESTRICTED_MESSAGES, gatedCommand, type RestrictedFeature } from './trust';

/**
 * One command: its id (declared in package.json `contributes.commands` with the same id) and a
 * factory that binds it to the extension's context. Every command is registered from COMMANDS.
 */
export interface CommandSpec {
  readonly id: string;
  readonly create: (ctx: FluxContext) => (...args: unknown[]) => unknown;
  /** Set when the command reads what Restricted Mode keeps closed: there it refuses, saying why. */
  readonly needsTrust?: RestrictedFeature;
}

/** The table of every command. Feature modules export their specs; list them here. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    id: 'fluxGitops.showOutput',
    create: (ctx) => () => ctx.log.show(true),
  },
  // Every live-cluster command reads the kubeconfig and talks to the cluster (or acts on the view of it).
  ...CLUSTER_COMMANDS.map((spec): CommandSpec => ({ ...spec, needsTrust: 'cluster' })),
  ...SOPS_COMMANDS,
];

export function registerCommands(ctx: FluxContext, commands: readonly CommandSpec[] = COMMANDS): void {
  for (const spec of commands) {
    const command = gatedCommand(ctx.trust, spec.needsTrust, spec.create(ctx), (feature) => refuseInRestrictedMode(ctx, feature));
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(spec.id, command));
  }
}

/** Says why a command does nothing in Restricted Mode, with a button to the Workspace Trust editor. */
async function refuseInRestrictedMode(ctx: FluxContext, feature: RestrictedFeature): Promise<void> {
  ctx.log.info(RESTRICTED_MESSAGES[feature]);
  const choice = await vscode.window.showWarningMessage(RESTRICTED_MESSAGES[feature], MANAGE_TRUST_LABEL);
  if (choice === MANAGE_TRUST_LABEL) await vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
}
