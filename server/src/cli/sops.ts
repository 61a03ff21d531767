/** `flux-gitops sops decrypt|encrypt`: the in-process SOPS engine on the command line. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decryptFileContent, encryptFileContent, nodeSopsIo, SopsError, writeFileAtomically } from '../sops';
import { UsageError, type CliCommand, type CliIo } from './command';

const USAGE = `usage:
  flux-gitops sops decrypt FILE
  flux-gitops sops encrypt FILE [--age RECIPIENT]... [--encrypted-regex REGEX] [--in-place]

Without --age, recipients and rules come from the nearest .sops.yaml creation rule.
Age keys: SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, ~/.config/sops/age/keys.txt.`;

interface Parsed {
  readonly action: 'decrypt' | 'encrypt';
  readonly file: string;
  readonly recipients: string[];
  readonly encryptedRegex: string | undefined;
  readonly inPlace: boolean;
}

function parseArgs(args: readonly string[]): Parsed {
  const [action, ...rest] = args;
  if (action !== 'decrypt' && action !== 'encrypt') throw new UsageError(action ? `unknown action '${action}'` : 'missing action');
  const recipients: string[] = [];
  let encryptedRegex: string | undefined;
  let inPlace = false;
  let file: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (action === 'encrypt' && (arg === '--age' || arg === '-a')) recipients.push(value());
    else if (action === 'encrypt' && arg === '--encrypted-regex') encryptedRegex = value();
    else if (action === 'encrypt' && (arg === '--in-place' || arg === '-i')) inPlace = true;
    else if (arg.startsWith('-')) throw new UsageError(`unknown option '${arg}'`);
    else if (file === undefined) file = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  if (file === undefined) throw new UsageError('missing FILE');
  return { action, file, recipients, encryptedRegex, inPlace };
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args);
  const path = resolve(io.cwd, parsed.file);
  const sopsIo = nodeSopsIo(io.env);
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (error) {
    io.stderr.write(`flux-gitops sops: cannot read ${parsed.file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`);
    return 2;
  }
  try {
    if (parsed.action === 'decrypt') {
      const { bytes } = await decryptFileContent(path, content.toString('utf8'), sopsIo);
      io.stdout.write(bytes);
      return 0;
    }
    const encrypted = await encryptFileContent(path, content, sopsIo, { recipients: parsed.recipients, encryptedRegex: parsed.encryptedRegex });
    if (!parsed.inPlace) {
      io.stdout.write(encrypted);
      return 0;
    }
    try {
      // Through a symbolic link to the file it leads to, the original kept whole if this fails.
      await writeFileAtomically(path, encrypted);
    } catch (error) {
      io.stderr.write(`flux-gitops sops: cannot write ${parsed.file}: ${(error as Error).message}\n`);
      // sops' exit code for an output it could not write.
      return 3;
    }
    return 0;
  } catch (error) {
    if (!(error instanceof SopsError)) throw error;
    io.stderr.write(`flux-gitops sops: ${error.message}\n`);
    return error.exitCode;
  }
}

export const sopsCommand: CliCommand = {
  summary: 'decrypt or encrypt a SOPS YAML file with age, in-process',
  usage: USAGE,
  run,
};
