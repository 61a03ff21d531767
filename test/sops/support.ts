/** Shared helpers of the SOPS tests: fixture paths, an in-memory SopsIo, the real sops/age binaries. */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { decrypt, reencrypt } from '../../server/src/sops/stores/yaml';
import type { SopsIo } from '../../server/src/sops/io';
import { parseIdentities, type Identities } from '../../server/src/sops/keys';

export const projectRoot = resolve(__dirname, '../..');
export const vectors = resolve(projectRoot, '../shared/fixtures/sops/kustomize-controller');
export const keyFile = join(vectors, 'keys/age.txt');
export const globalKeyFile = join(vectors, 'keys/age-global.txt');
export const recipient = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
export const globalRecipient = 'age1henwn645drkd3fa34t27t2w2x0nsgw3w4h62gmg5x5xflyjpy38s5cncph';

export function identitiesFrom(...files: string[]): Identities {
  return { keys: files.flatMap((f) => parseIdentities(readFileSync(f, 'utf8')).keys), searched: files, unsupported: [] };
}

/** A SopsIo over an in-memory file map, a fixed clock and real randomness. */
export function memoryIo(files: Record<string, string> = {}, env: Record<string, string> = {}, now = new Date('2026-01-02T03:04:05.678Z')): SopsIo {
  return {
    env,
    homeDir: '/home/test',
    platform: 'linux',
    readText: async (path) => files[path],
    now: () => now,
    randomBytes: (n) => new Uint8Array(require('node:crypto').randomBytes(n)),
  };
}

/**
 * Decrypts `encrypted`, applies `edit` to the plaintext, re-encrypts it as an editor save does,
 * and returns the keys (trimmed, `key:`) of the lines that differ; the line count must not change.
 */
export async function editAndDiff(encrypted: string, edit: (plaintext: string) => string): Promise<{ saved: string; changed: string[] }> {
  const decrypted = await decrypt(encrypted, identitiesFrom(keyFile, globalKeyFile));
  const edited = edit(decrypted.plaintext);
  if (edited === decrypted.plaintext) throw new Error('the edit changed nothing');
  const saved = reencrypt(decrypted, edited, memoryIo({}, {}, new Date('2030-01-01T00:00:00Z')));
  const before = encrypted.split('\n');
  const after = saved.split('\n');
  if (before.length !== after.length) throw new Error(`line count changed: ${before.length} → ${after.length}`);
  return { saved, changed: before.flatMap((line, i) => (line === after[i] ? [] : [(after[i] as string).replace(/:.*/, ':').trim()])) };
}

export const cacheDir = process.env['FLUX_GITOPS_CACHE'] ?? join(homedir(), '.cache', 'flux-gitops');

export function sopsVersions(): string[] {
  return readFileSync(join(projectRoot, 'test/sops/sops-versions.txt'), 'utf8').split('\n').filter((v) => v.trim() !== '');
}

/** The real sops binary for `version`; throws (the test fails) when test/setup/sops.sh has not run. */
export function sopsBinary(version: string): string {
  const path = join(cacheDir, 'sops', version, 'sops');
  if (!existsSync(path)) throw new Error(`sops ${version} not found at ${path}: run test/setup/sops.sh`);
  return path;
}

/**
 * Runs the real sops on `input` given on stdin (through `cat`, since sops opens /dev/stdin, which
 * a socket cannot be), with the fixture keys (or those of `keyFiles`) in SOPS_AGE_KEY and an empty
 * home in `cwd`.
 */
export function runSopsBytes(binary: string, args: string[], input: string | Uint8Array, cwd: string, keyFiles: readonly string[] = [keyFile, globalKeyFile]): Buffer {
  const keys = keyFiles.map((k) => readFileSync(k, 'utf8')).join('\n');
  return execFileSync('sh', ['-c', 'cat | "$0" "$@"', binary, '--disable-version-check', ...args, '/dev/stdin'], {
    input,
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, XDG_CONFIG_HOME: join(cwd, 'xdg'), SOPS_AGE_KEY: keys },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

export function runSops(binary: string, args: string[], input: string | Uint8Array, cwd: string, keyFiles?: readonly string[]): string {
  return runSopsBytes(binary, args, input, cwd, keyFiles).toString('utf8');
}

/** What `sops -d` makes of `encrypted`: its output, or its exit code when it fails. */
export function sopsDecryptOutcome(binary: string, encrypted: string, cwd: string, keyFiles?: readonly string[]): { plaintext: string } | { exitCode: number } {
  try {
    return { plaintext: runSops(binary, ['-d', '--input-type', 'yaml', '--output-type', 'yaml'], encrypted, cwd, keyFiles) };
  } catch (error) {
    return { exitCode: (error as { status: number }).status };
  }
}

export function ageBinary(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v age'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error("Debian's age is not installed: run test/setup/sops.sh");
  }
}
