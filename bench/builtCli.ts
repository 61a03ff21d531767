// The built CLI (`npm run build` → dist/cli.js) and whether it has a subcommand yet.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(__dirname, '..');
/** FLUX_BENCH_CLI points at another build of the CLI, e.g. to compare a change against dist/. */
export const cliPath = process.env['FLUX_BENCH_CLI'] ?? join(projectRoot, 'dist/cli.js');
/** The Flux CRDs both servers and the linter are given, read from the shared fixtures. */
export const crdDir = resolve(projectRoot, '../shared/fixtures/flux-crds/v2.9');

export function cliHasCommand(name: string): boolean {
  if (!existsSync(cliPath)) return false;
  const help = spawnSync(process.execPath, [cliPath, '--help'], { encoding: 'utf8' });
  return new RegExp(`^\\s+${name}\\b`, 'm').test(help.stdout);
}
