// The extension manifest (package.json `contributes`) and README agree with the code: every command in
// the table is declared with category "Flux" and nothing else is; menus name declared commands; every
// setting the code reads is declared with a description and listed in README's "Settings" section;
// Restricted Mode (untrusted workspaces) is declared, restricts every setting that names a file or a
// cluster, and no menu offers what it switches off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { formatOf } from '../../server/src/sops/stores/table';
import { MANAGE_TRUST_COMMAND, MANAGE_TRUST_LABEL, RESTRICTED_MESSAGES, type RestrictedFeature } from '../../client/src/trust';
import { withVscodeStub } from './client/vscodeStub';

const root = path.resolve(__dirname, '../..');
interface Property {
  type?: string | string[];
  items?: { type?: string };
  enum?: unknown[];
  scope?: string;
  description?: string;
  markdownDescription?: string;
}
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  capabilities?: { untrustedWorkspaces?: { supported: boolean | 'limited'; description?: string; restrictedConfigurations?: string[] } };
  contributes: {
    commands: { command: string; category?: string }[];
    menus?: Record<string, { command?: string; when?: string }[]>;
    keybindings?: { command: string }[];
    configuration: { properties: Record<string, Property> };
    viewsWelcome?: { view: string; when?: string; contents: string }[];
  };
};
const declared = manifest.contributes.commands.map((c) => c.command);
const properties = manifest.contributes.configuration.properties;

/** The command table as the extension registers it (its modules touch vscode only when a command runs). */
function commandSpecs(): readonly { id: string; needsTrust?: RestrictedFeature }[] {
  return withVscodeStub(() => require('../../client/src/commands') as { COMMANDS: readonly { id: string; needsTrust?: RestrictedFeature }[] }).COMMANDS;
}

function commandTable(): string[] {
  return commandSpecs().map((c) => c.id);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** `fluxGitops.*` keys the extension reads or writes: `.get('key')`/`.update('key')` after `getConfiguration(section)`. */
function clientSettingKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of sourceFiles(path.join(root, 'client/src'))) {
    const text = readFileSync(file, 'utf8');
    const constants = new Map([...text.matchAll(/const (\w+) = '(fluxGitops[\w.]*)'/g)].map((m) => [m[1]!, m[2]!]));
    const sections = [...text.matchAll(/getConfiguration\((?:'(fluxGitops[\w.]*)'|(\w+))\)/g)].map((m) => ({ at: m.index, section: m[1] ?? constants.get(m[2]!) }));
    for (const m of text.matchAll(/\.(?:get<[^>]+>|get|update)\('(\w+)'/g)) {
      // The nearest getConfiguration a few lines above (a Map's .get further away is not a setting).
      const owner = sections.filter((s) => s.at < m.index).at(-1);
      if (owner?.section && text.slice(owner.at, m.index).split('\n').length <= 10) keys.add(`${owner.section}.${m[1]}`);
    }
  }
  return keys;
}

test('every command in the table is declared with category "Flux", and every declared command is in the table', () => {
  const table = commandTable();
  assert.ok(table.length > 10, `only ${table.length} commands in the table`);
  assert.deepEqual([...table].sort(), [...declared].sort());
  assert.equal(new Set(table).size, table.length, 'a command id is in the table twice');
  for (const c of manifest.contributes.commands) assert.equal(c.category, 'Flux', c.command);
});

test('menus and keybindings name declared commands', () => {
  const used = [
    ...Object.values(manifest.contributes.menus ?? {}).flatMap((items) => items.flatMap((i) => (i.command ? [i.command] : []))),
    ...(manifest.contributes.keybindings ?? []).map((k) => k.command),
  ];
  assert.ok(used.length > 0);
  for (const command of used) assert.ok(declared.includes(command), `${command} is not in contributes.commands`);
});

test('every command the code invokes (CodeLens, tree clicks, server code actions) is declared', () => {
  const invoked = ['client/src', 'server/src'].flatMap((dir) =>
    sourceFiles(path.join(root, dir)).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/(?:[cC]ommand:\s*|executeCommand\(\s*|_COMMAND = )'(fluxGitops\.[\w.]+)'/g)].map((m) => `${path.relative(root, file)}: ${m[1]}`),
    ),
  );
  assert.ok(invoked.some((i) => i.startsWith('server/src/')) && invoked.some((i) => i.startsWith('client/src/cluster/ui/')), invoked.join('\n'));
  for (const use of invoked) assert.ok(declared.includes(use.slice(use.indexOf(': ') + 2)), `${use} is not in contributes.commands`);
});

test('every setting the code reads is declared with a description and listed in README "Settings"', () => {
  // A group of settings (scan: {maxFileBytes, maxFiles}) is one key each; a free-form map (hints: {}) is one key.
  const keys = (prefix: string, value: unknown): string[] =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0
      ? Object.entries(value).flatMap(([k, v]) => keys(`${prefix}.${k}`, v))
      : [prefix];
  const server = keys('fluxGitops', DEFAULT_SETTINGS);
  assert.ok(server.includes('fluxGitops.scan.maxFiles') && server.includes('fluxGitops.hints'), server.join(', '));
  const client = [...clientSettingKeys()];
  assert.ok(client.includes('fluxGitops.cluster.contexts') && client.includes('fluxGitops.sops.ageKeyFile'), `found ${client.join(', ')}`);
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Settings\n'), readme.indexOf('\n## ', readme.indexOf('\n## Settings\n') + 1));
  assert.ok(section.length > 20, 'README has a "Settings" section');
  for (const key of [...server, ...client]) assert.ok(properties[key], `${key} is read but not declared in contributes.configuration`);
  for (const [key, p] of Object.entries(properties)) {
    assert.ok((p.description ?? p.markdownDescription ?? '').length > 10, `${key} has no description`);
    assert.ok(section.includes(`\`${key}\``), `${key} is not listed in README "Settings"`);
  }
});

/**
 * Enough of VS Code's when-clause language for the menus: `||` of `&&` of `key == value`, `key =~ /re/flags`,
 * `key` and `!key` (a key holds when set to anything but '' or 'false'; `true` and `false` are literals).
 */
function whenHolds(when: string, context: Record<string, string>): boolean {
  return when.split('||').some((conjunction) =>
    conjunction.split('&&').every((term) => {
      const bare = /^\s*(!?)([\w.]+)\s*$/.exec(term);
      if (bare) {
        const [, not, key] = bare;
        const value = key === 'true' || key === 'false' ? key : (context[key!] ?? '');
        return (value !== '' && value !== 'false') !== (not === '!');
      }
      const m = /^\s*([\w.]+)\s*(==|=~)\s*(.*?)\s*$/.exec(term);
      assert.ok(m, `cannot read when-clause term "${term}"`);
      const [, key, op, operand] = m;
      const value = context[key!] ?? '';
      if (op === '==') return value === operand;
      const re = /^\/(.*)\/(\w*)$/.exec(operand!);
      assert.ok(re, `not a regex: ${operand}`);
      return new RegExp(re[1]!, re[2]).test(value);
    }),
  );
}

test('the explorer offers the SOPS commands on every YAML, JSON and dotenv file the engine reads as such (in Restricted Mode only those needing no trust)', () => {
  const sops = (manifest.contributes.menus?.['explorer/context'] ?? []).filter((i) => i.command?.startsWith('fluxGitops.sops.'));
  assert.ok(sops.length >= 2);
  const needsTrust = new Map(commandSpecs().map((c) => [c.id, c.needsTrust]));
  const names = ['secret.yaml', 'secret.yml', 'SECRET.YAML', 'secret.json', 'app.env', '.env', 'notes.txt', '.env.local', 'secret.yaml.bak'];
  for (const trusted of [true, false]) {
    for (const name of names) {
      const dot = name.lastIndexOf('.');
      // VS Code's resourceExtname, like Node's extname, is empty for a dotfile such as `.env`.
      const context = { resourceScheme: 'file', resourceFilename: name, resourceExtname: dot > 0 ? name.slice(dot) : '', isWorkspaceTrusted: String(trusted) };
      const readable = ['yaml', 'json', 'dotenv'].includes(formatOf(`/w/${name}`));
      for (const item of sops) {
        const expected = readable && (trusted || !needsTrust.get(item.command!));
        assert.equal(whenHolds(item.when ?? '', context), expected, `${item.command} on ${name}, ${trusted ? 'trusted' : 'Restricted Mode'}`);
      }
    }
  }
  assert.ok(sops.some((i) => needsTrust.get(i.command!)) && sops.some((i) => !needsTrust.get(i.command!)), 'the explorer offers SOPS commands with and without trust');
});

/** Settings whose value names files to read or kubeconfig contexts to connect to: free text or lists of it that say so. */
function namesFilesOrClusters(p: Property): boolean {
  const text = p.type === 'string' && !p.enum ? true : p.type === 'array' && p.items?.type === 'string';
  return text && /\b(files?|folders?|paths?|director(y|ies)|kubeconfig|contexts?)\b/i.test(p.description ?? p.markdownDescription ?? '');
}

test('Restricted Mode is declared: limited support, and every setting that names a file or a cluster is restricted and machine-scoped', () => {
  const capability = manifest.capabilities?.untrustedWorkspaces;
  assert.ok(capability, 'package.json declares no capabilities.untrustedWorkspaces');
  assert.equal(capability.supported, 'limited');
  assert.ok((capability.description ?? '').length > 40, 'the capability says what Restricted Mode keeps and switches off');
  const restricted = capability.restrictedConfigurations ?? [];
  const naming = Object.entries(properties).filter(([, p]) => namesFilesOrClusters(p)).map(([key]) => key);
  assert.ok(naming.includes('fluxGitops.crdPaths') && naming.includes('fluxGitops.sops.ageKeyFile') && naming.includes('fluxGitops.cluster.contexts'), `found ${naming.join(', ')}`);
  for (const key of naming) assert.ok(restricted.includes(key), `${key} names files or clusters but is not in restrictedConfigurations`);
  for (const key of restricted) {
    assert.ok(properties[key], `restrictedConfigurations names ${key}, which is not declared`);
    // A user's own value is machine-specific (not synced); a repository chooses it only where it may (overridable).
    assert.ok(['machine', 'machine-overridable'].includes(properties[key].scope ?? ''), `${key} has scope ${properties[key].scope ?? '(window)'}`);
  }
});

test('in Restricted Mode no menu offers a command that needs trust, and the Clusters view says why with a Manage Workspace Trust button', () => {
  const specs = commandSpecs();
  const cluster = specs.filter((c) => c.id.startsWith('fluxGitops.cluster.'));
  assert.ok(cluster.length > 10 && cluster.every((c) => c.needsTrust === 'cluster'), 'every live-cluster command needs trust');
  const gated = new Map(specs.filter((c) => c.needsTrust).map((c) => [c.id, c.needsTrust]));
  // In Restricted Mode the Clusters view has no items (so no viewItem) and no cluster state.
  const restricted = { view: 'fluxGitops.clusterTree', resourceScheme: 'file', resourceFilename: 'secret.yaml', resourceExtname: '.yaml' };
  const menus = manifest.contributes.menus ?? {};
  for (const [menu, items] of Object.entries(menus)) {
    for (const item of items) {
      if (!item.command || !gated.has(item.command) || menu === 'commandPalette') continue;
      assert.equal(whenHolds(item.when ?? 'true', restricted), false, `${menu} offers ${item.command} in Restricted Mode`);
    }
  }
  // The palette lists every command unless an entry hides it: the live-cluster ones are hidden (the view
  // says why); the SOPS decryption commands stay, and refuse with the reason and the trust button.
  for (const { id } of cluster) {
    const entry = (menus['commandPalette'] ?? []).find((i) => i.command === id);
    assert.ok(entry && !whenHolds(entry.when ?? 'true', restricted), `the palette offers ${id} in Restricted Mode`);
  }
  const titleButtons = (menus['view/title'] ?? []).filter((i) => i.command && gated.has(i.command));
  assert.ok(titleButtons.length > 0 && titleButtons.every((i) => whenHolds(i.when ?? 'true', { ...restricted, isWorkspaceTrusted: 'true' })), 'trusted, the view title buttons show');

  const welcome = (manifest.contributes.viewsWelcome ?? []).filter((w) => w.view === 'fluxGitops.clusterTree' && whenHolds(w.when ?? 'true', restricted));
  assert.equal(welcome.length, 1, 'exactly one welcome text in Restricted Mode');
  assert.ok(welcome[0]!.contents.startsWith(RESTRICTED_MESSAGES.cluster), welcome[0]!.contents);
  assert.ok(welcome[0]!.contents.includes(`[${MANAGE_TRUST_LABEL}](command:${MANAGE_TRUST_COMMAND})`), welcome[0]!.contents);
});
