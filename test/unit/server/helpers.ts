// Shared by the server unit tests: fixture locations (read from ../shared at test time, never
// copied) and an Engine over the real file system with the Flux CRDs of one release.
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver';
import { Engine } from '../../../server/src/engine';
import { nodeFileSystem } from '../../../server/src/workspace/fileSystem';

export const projectRoot = path.resolve(__dirname, '../../..');
export const fixtures = path.resolve(projectRoot, '../shared/fixtures');
export const fleetRepo = path.join(fixtures, 'repos/flux2-kustomize-helm-example');
export const fluxCrds = (release: 'v2.3' | 'v2.6' | 'v2.9'): string => path.join(fixtures, 'flux-crds', release);

/** A bare engine (core checks only, no Flux features) with the Flux CRDs of `release` as `--crds` (or none). */
export async function engineWithCrds(release?: 'v2.3' | 'v2.6' | 'v2.9'): Promise<Engine> {
  const engine = new Engine({ fs: nodeFileSystem(), flux: false, log: (m) => { throw new Error(`engine logged: ${m}`); } });
  if (release) await engine.addCrdPaths([fluxCrds(release)]);
  return engine;
}

let counter = 0;
/** Opens `text` as a fresh untitled document and returns its URI. */
export function open(engine: Engine, text: string): string {
  const uri = `untitled:test-${++counter}.yaml`;
  engine.openDocument(uri, text, 1);
  return uri;
}

/** `line:code` of each diagnostic (1-based lines), for compact assertions. */
export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line + 1}:${String(d.code)}`);
}
