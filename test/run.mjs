// Runs every *.test.ts under test/ (or under the folders or files named on the command line, e.g.
// `node test/run.mjs unit lsp cluster/smoke.test.ts`) with Node's built-in test runner; TypeScript
// is loaded through tsx. First it runs the set-up scripts those suites need (test/setup/ensure.mjs): quiet
// when cached, so `npm ci && npm test` works on a fresh machine.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ensureSetup, setupsFor } from './setup/ensure.mjs';

const testRoot = new URL('.', import.meta.url).pathname;
const projectRoot = join(testRoot, '..');

function findTests(dir) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures-generated') continue;
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const folders = process.argv.slice(2);
const roots = folders.length ? folders.map((f) => join(testRoot, f.replace(/^test\//, ''))) : [testRoot];
const files = roots
  .flatMap((root) => (statSync(root).isDirectory() ? findTests(root) : [root]))
  .map((f) => relative(projectRoot, f));
if (files.length === 0) {
  console.error('no test files found under', roots.join(', '));
  process.exit(1);
}
const suites = new Set(files.map((f) => relative('test', f).split(sep)[0]));
try {
  await ensureSetup(setupsFor(suites));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...files],
  { cwd: projectRoot, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
