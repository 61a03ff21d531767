/** Finds the user's age identities the way sops does, plus the extension's own key-file setting. */
import { join } from 'node:path';
import type { SopsIo } from './io';

export interface Identities {
  /** `AGE-SECRET-KEY-1…` strings, deduplicated. */
  readonly keys: readonly string[];
  /** Where keys were looked for (for "no identity matched" messages), with what was found. */
  readonly searched: readonly string[];
  /** Lines that hold identities we cannot use in-process (plugins, ssh). */
  readonly unsupported: readonly string[];
}

/** sops' user config dir: Go's os.UserConfigDir, with XDG_CONFIG_HOME also honoured on macOS. */
export function userConfigDir(io: SopsIo): string {
  if (io.platform === 'win32') return io.env['APPDATA'] ?? join(io.homeDir, 'AppData', 'Roaming');
  const xdg = io.env['XDG_CONFIG_HOME'];
  if (xdg) return xdg;
  if (io.platform === 'darwin') return join(io.homeDir, 'Library', 'Application Support');
  return join(io.homeDir, '.config');
}

export function parseIdentities(text: string): { keys: string[]; unsupported: string[] } {
  const keys: string[] = [];
  const unsupported: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(line)) keys.push(line);
    else if (line.startsWith('AGE-PLUGIN-')) unsupported.push('age plugin identity');
    else if (line.startsWith('AGE-SECRET-KEY-PQ-')) keys.push(line);
    else unsupported.push('unrecognised line');
  }
  return { keys, unsupported };
}

/**
 * Merges SOPS_AGE_KEY, SOPS_AGE_KEY_FILE, `<user config>/sops/age/keys.txt` and the optional
 * `fluxGitops.sops.ageKeyFile` setting. Missing files are noted, not fatal; sops fails only when
 * SOPS_AGE_KEY_FILE is set and missing, and so do we.
 */
export async function loadIdentities(io: SopsIo, settingKeyFile?: string): Promise<Identities> {
  const keys = new Set<string>();
  const searched: string[] = [];
  const unsupported: string[] = [];
  const add = (source: string, text: string | undefined): void => {
    if (text === undefined) {
      searched.push(`${source} (not found)`);
      return;
    }
    const parsed = parseIdentities(text);
    parsed.keys.forEach((k) => keys.add(k));
    unsupported.push(...parsed.unsupported.map((u) => `${u} in ${source}`));
    searched.push(`${source} (${parsed.keys.length} key${parsed.keys.length === 1 ? '' : 's'})`);
  };
  const inline = io.env['SOPS_AGE_KEY'];
  if (inline !== undefined) add('SOPS_AGE_KEY', inline);
  else searched.push('SOPS_AGE_KEY (not set)');
  const keyFile = io.env['SOPS_AGE_KEY_FILE'];
  if (keyFile !== undefined) {
    const text = await io.readText(keyFile);
    if (text === undefined) throw new Error(`failed to open SOPS_AGE_KEY_FILE file: ${keyFile}: no such file or directory`);
    add(`SOPS_AGE_KEY_FILE=${keyFile}`, text);
  } else searched.push('SOPS_AGE_KEY_FILE (not set)');
  const userKeys = join(userConfigDir(io), 'sops', 'age', 'keys.txt');
  add(userKeys, await io.readText(userKeys));
  if (settingKeyFile) add(`fluxGitops.sops.ageKeyFile=${settingKeyFile}`, await io.readText(settingKeyFile));
  for (const name of ['SOPS_AGE_KEY_CMD', 'SOPS_AGE_SSH_PRIVATE_KEY_FILE']) {
    if (io.env[name] !== undefined) unsupported.push(`${name} is not supported in-process (use an age X25519 key)`);
  }
  return { keys: [...keys], searched, unsupported };
}
