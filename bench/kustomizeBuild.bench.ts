// The in-process kustomize build (server/src/kustomize) over every kustomization folder of the largest
// shared repository (joryirving-home-ops: ~250 kustomization files, ~1,150 YAML files). Files are read
// into memory first, as the language server holds them, so the times are the build's own. Two ways:
// cold, each folder built from scratch (every file parsed by every build that reads it); and with a
// parse cache shared by all builds, as a language server keeps one (files parsed once, then copied).
// Prints the total, the per-build median, p95 and maximum, and the process's peak RSS. Each round builds
// every folder once; the first round of each way warms the JIT (and the cache) up.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { kustomizeBuild } from '../server/src/kustomize/build';
import { ParseCache } from '../server/src/kustomize/yamlValues';
import type { KustomizeReader } from '../server/src/kustomize/files';
import { machineLoad, median, round, table } from './report';

const REPO = resolve(__dirname, '../../shared/fixtures/repos/joryirving-home-ops');
const ROUNDS = Number(process.env['FLUX_BENCH_RUNS'] ?? 3);
const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Every file of the repository in memory, and the folders holding a kustomization file. */
function loadRepository(root: string): { reader: KustomizeReader; folders: string[]; yamlFiles: number } {
  const files = new Map<string, string>();
  const dirs = new Map<string, { files: string[]; dirs: string[] }>();
  const folders: string[] = [];
  const walk = (dir: string) => {
    const entry = { files: [] as string[], dirs: [] as string[] };
    dirs.set(dir, entry);
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name === '.git') continue;
        entry.dirs.push(name);
        walk(full);
      } else {
        entry.files.push(name);
        files.set(full, readFileSync(full, 'utf8'));
        if (KUSTOMIZATION_FILES.has(name)) folders.push(dir);
      }
    }
  };
  walk(root);
  const reader: KustomizeReader = { readFile: (file) => files.get(file), readDir: (dir) => dirs.get(dir) };
  const yamlFiles = [...files.keys()].filter((f) => /\.ya?ml$/.test(f)).length;
  return { reader, folders: [...new Set(folders)].sort(), yamlFiles };
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

const { reader, folders, yamlFiles } = loadRepository(REPO);
console.log(`# kustomize build benchmark: ${relative(resolve(REPO, '..'), REPO)}, ${folders.length} kustomization folders, ${yamlFiles} YAML files; ${ROUNDS} rounds after a warm-up; machine: ${machineLoad()}`);
const rows: string[][] = [];
let objects = 0;
let failed = 0;
for (const way of ['cold', 'parse cache'] as const) {
  const cache = way === 'cold' ? undefined : new ParseCache();
  for (let round_ = 0; round_ <= ROUNDS; round_++) {
    const times: number[] = [];
    objects = 0;
    failed = 0;
    const start = performance.now();
    for (const folder of folders) {
      const t0 = performance.now();
      const result = kustomizeBuild(reader, folder, cache ? { cache } : {});
      times.push(performance.now() - t0);
      objects += result.objects.length;
      if (result.problems.some((p) => p.severity === 'error')) failed++;
    }
    const total = performance.now() - start;
    if (round_ === 0) continue;
    rows.push([`${way}, round ${round_}`, round(total, 0), round(median(times), 2), round(percentile(times, 95), 2), round(Math.max(...times), 2)]);
  }
}
console.log(table(['', 'total ms', 'median ms/build', 'p95 ms/build', 'max ms/build'], rows));
console.log(`${folders.length} builds per round, ${objects} objects built, ${failed} builds failing; peak RSS ${round(process.resourceUsage().maxRSS / 1024, 0)} MiB`);
if (failed > 0) process.exitCode = 1;
