/** What every step of one build shares: the reader (recording what was read) and the findings so far. */
import type { TrackingReader } from './files';
import type { BuildProblem, UnsupportedNote } from './problems';
import type { Origin } from './values';
import type { ParseCache } from './yamlValues';

export class BuildSession {
  readonly warnings: BuildProblem[] = [];
  readonly unsupported: UnsupportedNote[] = [];

  constructor(
    readonly reader: TrackingReader,
    /** Parses shared with other builds, when the caller keeps one. */
    readonly cache: ParseCache | undefined,
  ) {}

  warn(message: string, origin: Origin): void {
    this.warnings.push({ severity: 'warning', message, origin });
  }

  /** Notes a feature this build leaves out, once per place it is written. */
  leaveOut(feature: string, message: string, origin: Origin): void {
    if (this.unsupported.some((n) => n.origin.file === origin.file && n.origin.start === origin.start && n.feature === feature)) return;
    this.unsupported.push({ feature, message, origin });
  }
}
