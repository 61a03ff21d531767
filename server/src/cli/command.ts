/** What a CLI subcommand gets: its arguments and the process I/O, passed in so tests can swap them. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export interface CliCommand {
  /** One line for `flux-gitops --help`. */
  readonly summary: string;
  /** Usage text printed on bad usage (exit 2). */
  readonly usage: string;
  /** Resolves to the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Thrown by a subcommand's argument parser; the dispatcher prints the message and usage, exit 2. */
export class UsageError extends Error {}
