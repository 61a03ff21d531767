import type { CliCommand, CliIo } from './cli/command';
import { UsageError } from './cli/command';
import { lintCommand } from './cli/lint';
import { lspCommand } from './cli/lsp';
import { sopsCommand } from './cli/sops';

/** Every subcommand of `flux-gitops`. Each lives in its own file under cli/. */
const COMMANDS: Record<string, CliCommand> = {
  lint: lintCommand,
  lsp: lspCommand,
  sops: sopsCommand,
};

function help(): string {
  const lines = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(8)} ${cmd.summary}`);
  return `usage: flux-gitops <command> [options]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(help());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr.write(`flux-gitops: unknown command '${name}'\n\n${help()}`);
    return 2;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`flux-gitops ${name}: ${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr.write(`flux-gitops ${name}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  }).then(
    (code) => {
      // `lsp` keeps running until its connection closes; every other command exits with its code.
      if (code >= 0) process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`flux-gitops: ${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
