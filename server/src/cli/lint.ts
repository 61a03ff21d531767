import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { Engine } from '../engine';
import { DEFAULT_SETTINGS } from '../settings';
import { nodeFileSystem, type FileSystem } from '../workspace/fileSystem';
import { DEFAULT_SCAN_LIMITS, readYamlFile, type ScanLimits, type SkippedFile } from '../workspace/scan';
import { uriToPath } from '../workspace/uri';
import { UsageError, type CliCommand } from './command';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import { FILE_SKIPPED, type Formatter, type LintProblem } from './format/problem';

const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif };
const SEVERITY: Record<number, LintProblem['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

/** The flag that sets each scan limit, named in the message of a file the limit left out. */
const LIMIT_FLAGS: Record<keyof ScanLimits, string> = { maxFileBytes: '--max-file-size', maxFiles: '--max-files' };
const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, KiB: 1024, M: 1024 ** 2, MiB: 1024 ** 2, G: 1024 ** 3, GiB: 1024 ** 3 };
const COUNT_UNITS: Record<string, number> = { '': 1 };

export interface LintArgs {
  readonly dir: string;
  readonly crds: readonly string[];
  readonly format: string;
  /** Warnings (a skipped file among them) fail too. */
  readonly strict: boolean;
  readonly limits: ScanLimits;
}

/** A positive whole number followed by one of `units` (`16M`); `expected` says what is wanted when it is not. */
function parseCount(flag: string, text: string, units: Record<string, number>, expected: string): number {
  const match = /^(\d+)([A-Za-z]*)$/.exec(text);
  const value = match && Object.hasOwn(units, match[2]!) ? Number(match[1]) * units[match[2]!]! : Number.NaN;
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} needs ${expected}, not ${text}`);
  return value;
}

export function parseLintArgs(args: readonly string[]): LintArgs {
  const crds: string[] = [];
  let format = 'text';
  let dir: string | undefined;
  let strict = false;
  let limits = DEFAULT_SCAN_LIMITS;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? args[++i];
      if (v === undefined || v === '') throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--crds') crds.push(value());
    else if (flag === '--format') format = value();
    else if (flag === '--max-file-size') limits = { ...limits, maxFileBytes: parseCount(flag, value(), SIZE_UNITS, 'a size in bytes, with K, M or G for KiB, MiB, GiB (16M)') };
    else if (flag === '--max-files') limits = { ...limits, maxFiles: parseCount(flag, value(), COUNT_UNITS, 'a positive whole number') };
    else if (flag === '--strict') {
      if (inline !== undefined) throw new UsageError('--strict takes no value');
      strict = true;
    }
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else if (dir === undefined) dir = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (dir === undefined) throw new UsageError('missing DIR');
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`unknown format ${format} (text, json, sarif)`);
  return { dir, crds, format, strict, limits };
}

/**
 * Lints every YAML file under `dir` exactly as the language server would, plus one `file-skipped`
 * warning on each file it did not check (CRD paths included). Sorted by file and line.
 */
export async function lintFolder(dir: string, crds: readonly string[], limits: ScanLimits = DEFAULT_SCAN_LIMITS, fs: FileSystem = nodeFileSystem()): Promise<LintProblem[]> {
  const engine = new Engine({ fs, settings: { ...DEFAULT_SETTINGS, scan: limits } });
  // By path: a file under both DIR and a --crds folder is skipped by both scans, and reported once.
  const skipped = new Map<string, SkippedFile>();
  engine.onFileSkipped((file) => skipped.set(file.path, file));
  await engine.addCrdPaths(crds);
  await engine.addWorkspaceFolder(dir);
  const relative = (file: string): string => path.relative(dir, file).split(path.sep).join('/');
  const problems: LintProblem[] = [...skipped.values()].map((file) => skippedProblem(relative(file.path), file));
  for (const uri of engine.documents.uris()) {
    const file = uriToPath(uri);
    if (!file) continue;
    problems.push(...engine.diagnostics(uri).map((d) => toProblem(relative(file), d)));
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

function skippedProblem(file: string, skipped: SkippedFile): LintProblem {
  const knob = skipped.limit ? ` (${LIMIT_FLAGS[skipped.limit]} sets the limit)` : '';
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'warning', code: FILE_SKIPPED, message: `Not checked: ${skipped.reason}${knob}` };
}

function toProblem(file: string, d: Diagnostic): LintProblem {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity: SEVERITY[d.severity ?? DiagnosticSeverity.Error] ?? 'error',
    code: String(d.code ?? 'unknown'),
    message: typeof d.message === 'string' ? d.message : d.message.value,
  };
}

export const lintCommand: CliCommand = {
  summary: 'lint every YAML file under DIR as the language server would',
  usage: 'usage: flux-gitops lint DIR [--crds PATH]... [--format text|json|sarif] [--strict] [--max-file-size BYTES] [--max-files N]',
  async run(args, io) {
    const parsed = parseLintArgs(args);
    const fs = nodeFileSystem();
    const dir = path.resolve(io.cwd, parsed.dir);
    if (!(await fs.isDirectory(dir))) throw new UsageError(`${parsed.dir} is not a directory`);
    const crds = parsed.crds.map((c) => path.resolve(io.cwd, c));
    for (const [i, c] of crds.entries()) {
      if (await fs.isDirectory(c)) continue;
      // A named file gets the scan's checks: a FIFO or a device is refused, not read.
      const read = await readYamlFile(fs, c, parsed.limits);
      if (!('text' in read)) throw new UsageError(`--crds ${parsed.crds[i]}: ${read.reason}`);
    }
    const problems = await lintFolder(dir, crds, parsed.limits, fs);
    io.stdout.write(FORMATS[parsed.format]!(problems, toolVersion()));
    const failing = parsed.strict ? ['error', 'warning'] : ['error'];
    return problems.some((p) => failing.includes(p.severity)) ? 1 : 0;
  },
};

function toolVersion(): string {
  // package.json is bundled by esbuild; its version is the tool's version.
  return (require('../../../package.json') as { version: string }).version;
}
