/** Language-server settings (`fluxGitops.*` in package.json `contributes.configuration`). */
import { DEFAULT_SCAN_LIMITS, type ScanLimits } from './workspace/scan';

export interface Settings {
  /** Extra CRD files or folders used as schema sources (absolute, or relative to a workspace folder). */
  readonly crdPaths: readonly string[];
  /** Schema and Flux validation on/off (YAML syntax errors are always reported). */
  readonly validate: boolean;
  /** At most this many diagnostics per file. */
  readonly maxProblems: number;
  /** Good-practice hints by id (see flux/practices.ts); a hint is on unless set to false. */
  readonly hints: Readonly<Record<string, boolean>>;
  /** What the workspace scan reads (`fluxGitops.scan.maxFileBytes`, `fluxGitops.scan.maxFiles`). */
  readonly scan: ScanLimits;
  /** `fluxGitops.validation.*`: documents (`---` sections) of one file parsed and checked; the rest are not, and a diagnostic says so. */
  readonly validation: { readonly maxDocumentsPerFile: number };
}

export const DEFAULT_SETTINGS: Settings = { crdPaths: [], validate: true, maxProblems: 1000, hints: {}, scan: DEFAULT_SCAN_LIMITS, validation: { maxDocumentsPerFile: 5000 } };

/** Reads the `fluxGitops` section as the client sends it, keeping defaults for anything malformed. */
export function parseSettings(section: unknown, base: Settings = DEFAULT_SETTINGS): Settings {
  if (typeof section !== 'object' || section === null) return base;
  const s = section as Record<string, unknown>;
  return {
    crdPaths: Array.isArray(s.crdPaths) ? s.crdPaths.filter((p): p is string => typeof p === 'string') : base.crdPaths,
    validate: typeof s.validate === 'boolean' ? s.validate : base.validate,
    maxProblems: typeof s.maxProblems === 'number' && s.maxProblems > 0 ? Math.floor(s.maxProblems) : base.maxProblems,
    hints:
      typeof s.hints === 'object' && s.hints !== null
        ? Object.fromEntries(Object.entries(s.hints).filter((e): e is [string, boolean] => typeof e[1] === 'boolean'))
        : base.hints,
    scan: parseScanLimits(s.scan, base.scan),
    validation: {
      maxDocumentsPerFile: positiveInteger((s.validation as { maxDocumentsPerFile?: unknown } | undefined)?.maxDocumentsPerFile) ?? base.validation.maxDocumentsPerFile,
    },
  };
}

function parseScanLimits(section: unknown, base: ScanLimits): ScanLimits {
  if (typeof section !== 'object' || section === null) return base;
  const s = section as Record<string, unknown>;
  return { maxFileBytes: positiveInteger(s.maxFileBytes) ?? base.maxFileBytes, maxFiles: positiveInteger(s.maxFiles) ?? base.maxFiles };
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && value >= 1 ? Math.floor(value) : undefined;
}
