/**
 * What a build reports besides objects. An error is what makes kustomize (and so Flux) fail the build;
 * it is located on the text that causes it and worded like kustomize's message. A warning is something
 * kustomize accepts silently but is almost certainly a mistake (a patch whose target matches nothing).
 * An unsupported note says, once per kustomization file, which of its features this build leaves out.
 */
import type { Origin } from './values';

export interface BuildProblem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** The text that causes it; a whole file or folder when nothing narrower is known. */
  readonly origin: Origin;
}

export interface UnsupportedNote {
  /** The kustomization file field or entry that uses the feature. */
  readonly origin: Origin;
  /** The feature, as the kustomization file names it (`helmCharts`, `remote resource`...). */
  readonly feature: string;
  readonly message: string;
}

/** Stops a build: thrown inside, caught at its top and returned as its one error. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly origin: Origin,
  ) {
    super(message);
  }
}

/** An origin covering a whole file or folder (offsets 0). */
export function wholeFile(file: string): Origin {
  return { file, start: 0, end: 0 };
}
