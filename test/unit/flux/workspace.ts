// A small Flux repository in memory, linted by an Engine with the Flux features installed.
import type { Diagnostic } from 'vscode-languageserver';
import { Engine } from '../../../server/src/engine';
import type { FluxModel } from '../../../server/src/flux/model';
import { pathToUri } from '../../../server/src/workspace/uri';
import { memoryFileSystem } from '../../support/memoryFileSystem';

export interface FluxWorkspace {
  readonly engine: Engine;
  readonly model: FluxModel;
  /** Diagnostics of a repository file (path relative to /repo). */
  diagnostics(file: string): Diagnostic[];
  uri(file: string): string;
}

export async function fluxWorkspace(files: Record<string, string>): Promise<FluxWorkspace> {
  const fs = memoryFileSystem(Object.fromEntries(Object.entries(files).map(([p, t]) => [`/repo/${p}`, t])));
  const engine = new Engine({ fs, log: (m) => { throw new Error(`engine logged: ${m}`); } });
  const model = engine.flux!;
  await engine.addWorkspaceFolder('/repo');
  const uri = (file: string) => pathToUri(`/repo/${file}`);
  return { engine, model, uri, diagnostics: (file) => engine.diagnostics(uri(file)) };
}

/** `line:code` of the diagnostics whose code is one of the Flux feature codes (1-based lines). */
export function fluxCodes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics
    .filter((d) => /^(flux-|kustomize-|marker-|semver-|subst-|secret-|sops-|hint-)/.test(String(d.code)))
    .map((d) => `${d.range.start.line + 1}:${String(d.code)}`);
}
