// The project's layers, checked on the imports of every .ts file under server/src and client/src
// (import, import type, export ... from, require, import()): features/ never imports the engine or
// lsp/; documents/ imports nothing above it; only the LSP entry points import lsp/ from outside it;
// the client imports only its own files and the server's public entries; outside sops/, SOPS is
// imported through its public entry. A failure names the file, the import and the rule it breaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';

/**
 * The server files the client may import: the server's public entries. Update this table when an
 * entry is added or moved.
 */
const SERVER_PUBLIC_ENTRIES: readonly string[] = [
  // The custom LSP protocol between the client and the server.
  'server/src/protocol.ts',
  // SOPS behind one API (being created by the SOPS restructuring).
  'server/src/sops/index.ts',
  // The Flux kinds, groups and versions.
  'server/src/schema/fluxKnowledge.ts',
];

/**
 * TEMPORARY: deep SOPS files the client still imports. The SOPS restructuring moves these imports
 * to server/src/sops/index.ts and empties this list; the test fails on an entry the client no
 * longer imports, so the list only shrinks.
 */
const TEMPORARY_CLIENT_IMPORTS: readonly string[] = [
  'server/src/sops/atomic-write.ts',
  'server/src/sops/datakey.ts',
  'server/src/sops/errors.ts',
  'server/src/sops/files.ts',
  'server/src/sops/io.ts',
  'server/src/sops/keys.ts',
  'server/src/sops/sopsfile.ts',
];

/** SOPS behind one API: outside server/src/sops/, no file imports any other file of it. */
const SOPS_ENTRY = 'server/src/sops/index.ts';

/**
 * TEMPORARY: deep SOPS files that server files outside server/src/sops/ still import. The SOPS
 * restructuring moves these imports to SOPS_ENTRY and empties this list (it may only shrink).
 */
const TEMPORARY_SERVER_SOPS_IMPORTS: readonly string[] = [
  'server/src/sops/age.ts',
  'server/src/sops/atomic-write.ts',
  'server/src/sops/errors.ts',
  'server/src/sops/files.ts',
  'server/src/sops/io.ts',
  'server/src/sops/rules.ts',
];

/** The files of server/src that may import the LSP wiring (server/src/lsp/): its entry points. */
const LSP_ENTRY_POINTS: readonly string[] = ['server/src/server.ts', 'server/src/cli/lsp.ts'];

const root = path.resolve(__dirname, '../..');

interface Import {
  /** The importing file, relative to the project root (with /). */
  readonly file: string;
  /** The module specifier as written. */
  readonly specifier: string;
  /** The project file it resolves to (relative, with /), or undefined for a package or node: builtin. */
  readonly target: string | undefined;
}

function tsFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) found.push(...tsFiles(full));
    else if (name.endsWith('.ts')) found.push(full);
  }
  return found;
}

const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');

/** The file a relative specifier names, as the bundler resolves it (extension or folder index added). */
function resolve(from: string, specifier: string): string {
  const base = path.resolve(path.dirname(from), specifier);
  const candidate = [base, `${base}.ts`, path.join(base, 'index.ts')].find((c) => existsSync(c) && statSync(c).isFile());
  return relative(candidate ?? base);
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName: specifier }) => ({
    file: relative(file),
    specifier,
    target: specifier.startsWith('.') ? resolve(file, specifier) : undefined,
  }));
}

const serverImports = tsFiles(path.join(root, 'server/src')).flatMap(importsOf);
const clientImports = tsFiles(path.join(root, 'client/src')).flatMap(importsOf);

const under = (file: string | undefined, folder: string): boolean => file !== undefined && file.startsWith(`${folder}/`);
/** The engine: its folder (or a file in its place). */
const isEngine = (file: string | undefined): boolean => under(file, 'server/src/engine') || file === 'server/src/engine.ts';

/** One line per import breaking `rule`: the file, the import and the rule. */
function violations(imports: readonly Import[], breaks: (i: Import) => boolean, rule: string): string[] {
  return imports.filter(breaks).map((i) => `${i.file} imports '${i.specifier}'${i.target ? ` (${i.target})` : ''}: ${rule}`);
}

function assertNone(found: readonly string[]): void {
  assert.equal(found.length, 0, `${found.length} import(s) cross a boundary:\n${found.join('\n')}`);
}

test('the import scan sees every kind of import and resolves folders and extensions', () => {
  const byFile = (file: string) => serverImports.filter((i) => i.file === file);
  // `export ... from` and a folder's index.ts.
  assert.ok(byFile('server/src/engine/index.ts').some((i) => i.target === 'server/src/engine/engine.ts'));
  assert.ok(byFile('server/src/cli/lint.ts').some((i) => i.specifier === '../engine' && i.target === 'server/src/engine/index.ts'));
  // `import type`, and packages left unresolved.
  assert.ok(byFile('server/src/lsp/session.ts').some((i) => i.target === 'server/src/engine/index.ts'));
  assert.ok(byFile('server/src/lsp/session.ts').some((i) => i.specifier === 'vscode-languageserver/node' && i.target === undefined));
  // require().
  assert.ok(byFile('server/src/cli/lint.ts').some((i) => i.target === 'package.json'));
  assert.ok(clientImports.some((i) => i.target === 'server/src/protocol.ts'));
});

test('features/ holds plain functions: it never imports the engine or the LSP wiring', () => {
  assertNone(
    violations(
      serverImports.filter((i) => under(i.file, 'server/src/features')),
      (i) => isEngine(i.target) || under(i.target, 'server/src/lsp'),
      'features/ never imports the engine (server/src/engine/) or lsp/',
    ),
  );
});

test('documents/ imports nothing above it (only itself, node: and npm packages)', () => {
  assertNone(
    violations(
      serverImports.filter((i) => under(i.file, 'server/src/documents')),
      (i) => i.target !== undefined && !under(i.target, 'server/src/documents'),
      'documents/ imports only documents/, node: and npm packages',
    ),
  );
});

test('only the LSP entry points import the LSP wiring (server/src/lsp/)', () => {
  assertNone(
    violations(
      serverImports.filter((i) => !under(i.file, 'server/src/lsp') && !LSP_ENTRY_POINTS.includes(i.file)),
      (i) => under(i.target, 'server/src/lsp'),
      `outside lsp/, only ${LSP_ENTRY_POINTS.join(' and ')} import lsp/`,
    ),
  );
});

test("the client imports only its own files and the server's public entries", () => {
  const allowed = new Set([...SERVER_PUBLIC_ENTRIES, ...TEMPORARY_CLIENT_IMPORTS]);
  assertNone(
    violations(
      clientImports,
      (i) => i.target !== undefined && !under(i.target, 'client/src') && !allowed.has(i.target),
      `the client imports only client/src and the server's public entries (${SERVER_PUBLIC_ENTRIES.join(', ')})`,
    ),
  );
  const stale = TEMPORARY_CLIENT_IMPORTS.filter((entry) => !clientImports.some((i) => i.target === entry));
  assert.deepEqual(stale, [], `no longer imported by the client: remove from TEMPORARY_CLIENT_IMPORTS in ${relative(__filename)}`);
});

test(`outside server/src/sops/, the server imports SOPS only through ${SOPS_ENTRY}`, () => {
  const outside = serverImports.filter((i) => !under(i.file, 'server/src/sops'));
  assertNone(
    violations(
      outside,
      (i) => under(i.target, 'server/src/sops') && i.target !== SOPS_ENTRY && !TEMPORARY_SERVER_SOPS_IMPORTS.includes(i.target!),
      `outside sops/, SOPS is imported only through ${SOPS_ENTRY}`,
    ),
  );
  const stale = TEMPORARY_SERVER_SOPS_IMPORTS.filter((entry) => !outside.some((i) => i.target === entry));
  assert.deepEqual(stale, [], `no longer imported outside sops/: remove from TEMPORARY_SERVER_SOPS_IMPORTS in ${relative(__filename)}`);
});
