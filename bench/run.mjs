// `npm run bench` (after the build): runs every bench/*.bench.ts, each in its own Node process
// (`node --import tsx FILE`) so one benchmark's memory and JIT state never colour another's numbers.
// Benchmarks print their own tables; this exits non-zero when any of them failed to run.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSetup } from '../test/setup/ensure.mjs';

const benchDir = new URL('.', import.meta.url).pathname;
const projectRoot = join(benchDir, '..');
const only = process.argv.slice(2);
const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.startsWith(name)))
  .sort();
// Which set-up a benchmark needs (the real sops, the local control plane); the others need none.
const SETUP_OF_BENCH = { 'sops.bench.ts': ['sops'], 'plane.bench.ts': ['cluster'] };
try {
  await ensureSetup([...new Set(files.flatMap((f) => SETUP_OF_BENCH[f] ?? []))]);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, file)], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
    failed++;
  }
}
if (files.length === 0) console.error('no bench/*.bench.ts found');
process.exit(failed || files.length === 0 ? 1 : 0);
