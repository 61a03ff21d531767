// The layers of the code, checked on every import of every .ts file under server/src and client/src:
// a change that makes an import cross a boundary fails here, naming the file, the import and the rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** The server files the client may import: the protocol, the SOPS entry, the Flux kinds. */
const SERVER_ENTRIES_FOR_CLIENT = ['server/src/protocol.ts', 'server/src/sops/index.ts', 'server/src/schema/fluxKnowledge.ts'];

interface Import {
  readonly from: string;
  readonly specifier: string;
  /** The project file it resolves to (relative to the root, `.ts` added), or undefined for a package. */
  readonly target: string | undefined;
  readonly typeOnly: boolean;
}

interface Rule {
  readonly name: string;
  /** Which importing files the rule is about. */
  readonly applies: (from: string) => boolean;
  /** True when the import breaks the rule. */
  readonly forbids: (i: Import) => boolean;
}

const under = (folder: string) => (file: string | undefined) => file !== undefined && file.startsWith(folder);
const isVscode = (i: Import) => i.target === undefined && /^vscode(-languageclient|-languageserver-protocol)?(\/|$)/.test(i.specifier);

const RULES: Rule[] = [
  {
    name: 'features/ holds plain functions: it never imports the LSP wiring or the engine',
    applies: under('server/src/features/'),
    forbids: (i) => under('server/src/lsp/')(i.target) || under('server/src/engine/')(i.target) || i.target === 'server/src/engine.ts',
  },
  {
    name: 'documents/ is the bottom layer: it imports only itself (and packages)',
    applies: under('server/src/documents/'),
    forbids: (i) => i.target !== undefined && !under('server/src/documents/')(i.target),
  },
  {
    name: 'only the LSP entry points import lsp/',
    applies: (f) => under('server/src/')(f) && !under('server/src/lsp/')(f) && f !== 'server/src/server.ts' && f !== 'server/src/cli/lsp.ts',
    forbids: (i) => under('server/src/lsp/')(i.target),
  },
  {
    name: 'outside sops/, the server imports SOPS only through its public entry (server/src/sops/index.ts)',
    applies: (f) => under('server/src/')(f) && !under('server/src/sops/')(f),
    forbids: (i) => under('server/src/sops/')(i.target) && i.target !== 'server/src/sops/index.ts',
  },
  {
    name: 'the server never imports the client',
    applies: under('server/src/'),
    forbids: (i) => under('client/')(i.target),
  },
  {
    name: 'the client imports from the server only its public entries (protocol, SOPS entry, Flux kinds)',
    applies: under('client/src/'),
    forbids: (i) => under('server/')(i.target) && !SERVER_ENTRIES_FOR_CLIENT.includes(i.target!),
  },
  {
    name: 'cluster/connection/ reaches clusters without VS Code and imports nothing above it',
    applies: under('client/src/cluster/connection/'),
    forbids: (i) => isVscode(i) || (under('client/src/')(i.target) && !under('client/src/cluster/connection/')(i.target)),
  },
  {
    name: 'cluster/model/ is VS Code-free and imports only itself and connection/',
    applies: under('client/src/cluster/model/'),
    forbids: (i) => isVscode(i) || (under('client/src/')(i.target) && !under('client/src/cluster/model/')(i.target) && !under('client/src/cluster/connection/')(i.target)),
  },
  {
    name: 'cluster/ui/ and sops/ never import each other; from the client root only trust.ts, and context.ts/commands.ts as types',
    applies: (f) => under('client/src/cluster/ui/')(f) || under('client/src/sops/')(f),
    forbids: (i) => {
      const t = i.target;
      if (!under('client/src/')(t)) return false;
      const own = under('client/src/sops/')(i.from) ? under('client/src/sops/')(t) : under('client/src/cluster/')(t);
      if (own || t === 'client/src/trust.ts') return false;
      return !(i.typeOnly && (t === 'client/src/context.ts' || t === 'client/src/commands.ts'));
    },
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) return sourceFiles(rel);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** The project file an import names (a file, or a folder's index.ts), relative to the root. */
function resolveTarget(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.join(path.posix.dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}/index.ts`]) {
    try {
      if (statSync(path.join(root, candidate)).isFile()) return candidate;
    } catch {
      // not this spelling
    }
  }
  return base.endsWith('.ts') ? base : `${base}.ts`;
}

/** Static imports and re-exports (`import … from`, `export … from`, `import '…'`), with `import type` noted. */
function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of text.matchAll(statement)) {
    const specifier = m[3]!;
    found.push({ from: file, specifier, target: resolveTarget(file, specifier), typeOnly: m[2] !== undefined });
  }
  return found;
}

function boundaryViolations(files: ReadonlyMap<string, string>): string[] {
  const violations: string[] = [];
  for (const [file, text] of files) {
    for (const i of importsOf(file, text)) {
      for (const rule of RULES) {
        if (rule.applies(file) && rule.forbids(i)) violations.push(`${file} imports '${i.specifier}'${i.typeOnly ? ' (type only)' : ''}: ${rule.name}`);
      }
    }
  }
  return violations;
}

test('no import crosses a layer boundary (server and client)', () => {
  const files = new Map([...sourceFiles('server/src'), ...sourceFiles('client/src')].map((f) => [f, readFileSync(path.join(root, f), 'utf8')]));
  assert.ok(files.size > 150, `read ${files.size} files`);
  const violations = boundaryViolations(files);
  assert.deepEqual(violations, [], `imports that cross a boundary:\n${violations.join('\n')}`);
});

test('the check sees a forbidden import of each kind', () => {
  const files = new Map([
    ['server/src/features/hover.ts', "import { Engine } from '../engine';\n"],
    ['server/src/documents/store.ts', "import { RULES } from '../features/validation/rules';\n"],
    ['server/src/cli/lint.ts', "import { startServer } from '../lsp/startServer';\n"],
    ['client/src/cluster/model/status.ts', "import * as vscode from 'vscode';\n"],
    ['client/src/sops/commands.ts', "import { decrypt } from '../../../server/src/sops/stores/yaml';\nexport { x } from '../cluster/ui/clusterFeature';\n"],
    ['client/src/cluster/ui/clusterCommands.ts', "import type { FluxContext } from '../../context';\nimport { protocol } from '../../../../server/src/protocol';\n"],
  ]);
  const violations = boundaryViolations(files);
  assert.equal(violations.length, 6, violations.join('\n'));
  assert.match(violations[0]!, /^server\/src\/features\/hover\.ts imports '\.\.\/engine': features\/ holds plain functions/);
  assert.ok(!violations.some((v) => v.includes('clusterCommands')), 'a type-only import of context.ts and the protocol are allowed');
});

test('outside sops/, a server file importing a SOPS file other than its entry is named', () => {
  const violations = boundaryViolations(new Map([['server/src/cli/sops.ts', "import { decrypt } from '../sops/stores/yaml';\nimport { SopsError } from '../sops';\n"]]));
  assert.deepEqual(violations, [
    "server/src/cli/sops.ts imports '../sops/stores/yaml': outside sops/, the server imports SOPS only through its public entry (server/src/sops/index.ts)",
  ]);
});
