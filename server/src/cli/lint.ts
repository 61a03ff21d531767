import * as path from 'node:path';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import { Engine } from '../engine';
import { installFlux } from '../features/flux/install';
import { nodeFileSystem, type FileSystem } from '../workspace/fileSystem';
import { uriToPath } from '../workspace/uri';
import { UsageError, type CliCommand } from './command';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatText } from './format/text';
import type { Formatter, LintProblem } from './format/problem';

const FORMATS: Record<string, Formatter> = { text: formatText, json: formatJson, sarif: formatSarif };
const SEVERITY: Record<number, LintProblem['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

export interface LintArgs {
  readonly dir: string;
  readonly crds: readonly string[];
  readonly format: string;
}

export function parseLintArgs(args: readonly string[]): LintArgs {
  const crds: string[] = [];
  let format = 'text';
  let dir: string | undefined;
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
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else if (dir === undefined) dir = arg;
    else throw new UsageError(`unexpected argument ${arg}`);
  }
  if (dir === undefined) throw new UsageError('missing DIR');
  if (!Object.hasOwn(FORMATS, format)) throw new UsageError(`unknown format ${format} (text, json, sarif)`);
  return { dir, crds, format };
}

/** Lints every YAML file under `dir` exactly as the language server would. Sorted by file and line. */
export async function lintFolder(dir: string, crds: readonly string[], fs: FileSystem = nodeFileSystem()): Promise<LintProblem[]> {
  const engine = new Engine({ fs });
  installFlux(engine);
  await engine.addCrdPaths(crds);
  await engine.addWorkspaceFolder(dir);
  const problems: LintProblem[] = [];
  for (const uri of engine.documents.uris()) {
    const file = uriToPath(uri);
    if (!file) continue;
    const relative = path.relative(dir, file).split(path.sep).join('/');
    problems.push(...engine.diagnostics(uri).map((d) => toProblem(relative, d)));
  }
  return problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
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
  usage: 'usage: flux-gitops lint DIR [--crds PATH]... [--format text|json|sarif]',
  async run(args, io) {
    const parsed = parseLintArgs(args);
    const fs = nodeFileSystem();
    const dir = path.resolve(io.cwd, parsed.dir);
    if (!(await fs.isDirectory(dir))) throw new UsageError(`${parsed.dir} is not a directory`);
    const crds = parsed.crds.map((c) => path.resolve(io.cwd, c));
    for (const [i, c] of crds.entries()) {
      const readable = (await fs.isDirectory(c)) || (await fs.readFile(c).then(() => true, () => false));
      if (!readable) throw new UsageError(`--crds ${parsed.crds[i]}: no such file or directory`);
    }
    const problems = await lintFolder(dir, crds, fs);
    io.stdout.write(FORMATS[parsed.format]!(problems, toolVersion()));
    return problems.some((p) => p.severity === 'error') ? 1 : 0;
  },
};

function toolVersion(): string {
  // package.json is bundled by esbuild; its version is the tool's version.
  return (require('../../../package.json') as { version: string }).version;
}
