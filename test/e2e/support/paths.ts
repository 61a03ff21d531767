// Where the end-to-end harness finds things: the project, the shared fixtures, the cached code-server
// (installed by test/setup/code-server.sh, whose version line is the one source of the version), and
// where screenshots go (test-results/ is git-ignored).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const projectRoot = resolve(import.meta.dirname, '../../..');
export const fixturesRoot = resolve(projectRoot, '../shared/fixtures');
export const fleetExample = join(fixturesRoot, 'repos/flux2-kustomize-helm-example');
export const resultsRoot = join(projectRoot, 'test-results/e2e');
export const chromiumPath = process.env.FLUX_GITOPS_CHROMIUM ?? '/usr/bin/chromium';

const setupScript = join(projectRoot, 'test/setup/code-server.sh');

export function cacheRoot(): string {
  return process.env.FLUX_GITOPS_CACHE ?? join(homedir(), '.cache/flux-gitops');
}

export function codeServerVersion(): string {
  const match = /^CODE_SERVER_VERSION=(\S+)$/m.exec(readFileSync(setupScript, 'utf8'));
  if (!match) throw new Error(`no CODE_SERVER_VERSION line in ${setupScript}`);
  return match[1];
}

/** The installed code-server launcher; a clear error when the set-up script has not run. */
export function codeServerBin(): string {
  const dir = join(cacheRoot(), `code-server-${codeServerVersion()}`);
  const bin = join(dir, 'node_modules/.bin/code-server');
  if (!existsSync(join(dir, '.complete')) || !existsSync(bin)) {
    throw new Error(`code-server is not installed in ${dir}: run bash test/setup/code-server.sh`);
  }
  return bin;
}
