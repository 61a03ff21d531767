import * as vscode from 'vscode';
import type { FluxContext } from './context';
import { CLUSTER_COMMANDS } from './cluster/clusterCommands';
import { SOPS_COMMANDS } from './sops/commands';

/**
 * One command: its id (declared in package.json `contributes.commands` with the same id) and a
 * factory that binds it to the extension's context. Every command is registered from COMMANDS.
 */
export interface CommandSpec {
  readonly id: string;
  readonly create: (ctx: FluxContext) => (...args: unknown[]) => unknown;
}

/** The table of every command. Feature modules export their specs; list them here. */
export const COMMANDS: readonly CommandSpec[] = [
  {
    id: 'fluxGitops.showOutput',
    create: (ctx) => () => ctx.log.show(true),
  },
  ...CLUSTER_COMMANDS,
  ...SOPS_COMMANDS,
];

export function registerCommands(ctx: FluxContext, commands: readonly CommandSpec[] = COMMANDS): void {
  for (const spec of commands) {
    ctx.extension.subscriptions.push(vscode.commands.registerCommand(spec.id, spec.create(ctx)));
  }
}
