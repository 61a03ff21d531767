// The extension manifest (package.json `contributes`) and README agree with the code: every command in
// the table is declared with category "Flux" and nothing else is; menus name declared commands; every
// setting the code reads is declared with a description and listed in README's "Settings" section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Module from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { formatOf } from '../../server/src/sops/files';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: {
    commands: { command: string; category?: string }[];
    menus?: Record<string, { command?: string; when?: string }[]>;
    keybindings?: { command: string }[];
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string }> };
  };
};
const declared = manifest.contributes.commands.map((c) => c.command);
const properties = manifest.contributes.configuration.properties;

/**
 * The command table as the extension registers it. The 'vscode' module exists only inside VS Code, so a
 * stub stands in while the table's modules load (they only touch vscode when a command runs).
 */
function commandTable(): string[] {
  const stub: unknown = new Proxy(function () {}, { get: (_t, p) => (p === '__esModule' ? false : stub), apply: () => stub, construct: () => stub as object });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = (request, ...rest) => (request === 'vscode' ? stub : load(request, ...rest));
  try {
    return (require('../../client/src/commands') as { COMMANDS: readonly { id: string }[] }).COMMANDS.map((c) => c.id);
  } finally {
    loader._load = load;
  }
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
  assert.ok(invoked.some((i) => i.startsWith('server/src/')) && invoked.some((i) => i.startsWith('client/src/views/')), invoked.join('\n'));
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

/** Enough of VS Code's when-clause language for the SOPS menus: `||` of `&&` of `key == value` / `key =~ /re/flags`. */
function whenHolds(when: string, context: Record<string, string>): boolean {
  return when.split('||').some((conjunction) =>
    conjunction.split('&&').every((term) => {
      const m = /^\s*(\w+)\s*(==|=~)\s*(.*?)\s*$/.exec(term);
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

test('the explorer offers the SOPS commands on every YAML, JSON and dotenv file the engine reads as such', () => {
  const sops = (manifest.contributes.menus?.['explorer/context'] ?? []).filter((i) => i.command?.startsWith('fluxGitops.sops.'));
  assert.ok(sops.length >= 2);
  const names = ['secret.yaml', 'secret.yml', 'SECRET.YAML', 'secret.json', 'app.env', '.env', 'notes.txt', '.env.local', 'secret.yaml.bak'];
  for (const name of names) {
    const dot = name.lastIndexOf('.');
    // VS Code's resourceExtname, like Node's extname, is empty for a dotfile such as `.env`.
    const context = { resourceScheme: 'file', resourceFilename: name, resourceExtname: dot > 0 ? name.slice(dot) : '' };
    const expected = ['yaml', 'json', 'dotenv'].includes(formatOf(`/w/${name}`));
    for (const item of sops) assert.equal(whenHolds(item.when ?? '', context), expected, `${item.command} on ${name}`);
  }
});
