/** Everything the SOPS engine needs from the outside world, passed in so tests can swap it. */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';

export interface SopsIo {
  /** Environment variables (SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, XDG_CONFIG_HOME, APPDATA…). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly platform: NodeJS.Platform;
  /** A file's text, or undefined when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  now(): Date;
  randomBytes(n: number): Uint8Array;
}

export function nodeSopsIo(env: Readonly<Record<string, string | undefined>> = process.env): SopsIo {
  return {
    env,
    homeDir: homedir(),
    platform: process.platform,
    readText: async (path) => {
      try {
        return await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    now: () => new Date(),
    randomBytes: (n) => randomBytes(n),
  };
}
