// `flux-gitops lint` on a generated 500-file repository (one folder per tenant: one file per object
// plus a kustomization.yaml listing them), with the Flux v2.9 CRDs given by --crds. Target: well
// under 5 s. The repository carries the fleet's seeded schema errors (those in the files written),
// so a linter that finds nothing, or finds errors in valid files, is caught.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { cliHasCommand, cliPath, crdDir } from './builtCli';
import { generateFleet } from './fleet';
import { machineLoad, median, round, table } from './report';

const FILES = 500;
const RUNS = Number(process.env['FLUX_BENCH_RUNS'] ?? 3);
const TARGET_MS = 5000;

/** Splits the fleet into one file per object, grouped by namespace, until FILES files exist. */
function writeRepo(dir: string): { files: number; lines: number; seededErrors: number } {
  const fleet = generateFleet(20261121, 45);
  const byNamespace = new Map<string, { name: string; text: string; seeded: number }[]>();
  let firstLine = 0;
  for (const doc of fleet.text.split(/^---\n/m)) {
    const lastLine = firstLine + doc.split('\n').length - 1;
    const seeded = fleet.seededErrors.filter((e) => e.line >= firstLine && e.line < lastLine).length;
    firstLine = lastLine + 1;
    const kind = /^kind: (\S+)/m.exec(doc)![1]!;
    const name = /^ {2}name: (\S+)/m.exec(doc)![1]!;
    const namespace = /^ {2}namespace: (\S+)/m.exec(doc)?.[1] ?? name;
    const list = byNamespace.get(namespace) ?? [];
    list.push({ name: `${kind.toLowerCase()}-${name}.yaml`, text: doc, seeded });
    byNamespace.set(namespace, list);
  }
  let files = 0;
  let lines = 0;
  let seededErrors = 0;
  for (const [namespace, docs] of byNamespace) {
    if (files >= FILES) break;
    const folder = join(dir, 'tenants', namespace);
    mkdirSync(folder, { recursive: true });
    const take = docs.slice(0, FILES - files - 1);
    for (const doc of take) {
      writeFileSync(join(folder, doc.name), doc.text);
      lines += doc.text.split('\n').length - 1;
      seededErrors += doc.seeded;
    }
    const kustomization = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...take.map((d) => `  - ${d.name}`)];
    writeFileSync(join(folder, 'kustomization.yaml'), kustomization.join('\n') + '\n');
    lines += kustomization.length;
    files += take.length + 1;
  }
  return { files, lines, seededErrors };
}

interface Finding {
  severity: string;
}

function main(): void {
  if (!cliHasCommand('lint')) {
    console.log(`# lint benchmark: ${cliPath} has no \`lint\` command yet, nothing measured`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-lint-bench-'));
  try {
    const repo = writeRepo(dir);
    console.log(`# lint benchmark: ${repo.files} files, ${repo.lines} lines, --crds ${crdDir}, ${RUNS} runs; machine: ${machineLoad()}`);
    const times: number[] = [];
    let errors = 0;
    for (let run = 0; run < RUNS; run++) {
      const start = performance.now();
      const result = spawnSync(process.execPath, [cliPath, 'lint', dir, '--crds', crdDir, '--format', 'json'], {
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      });
      times.push(performance.now() - start);
      if (result.status === 2 || result.status === null) throw new Error(`lint failed (exit ${result.status}): ${result.stderr}`);
      errors = (JSON.parse(result.stdout) as Finding[]).filter((f) => f.severity === 'error').length;
      console.log(`  run ${run + 1}: ${round(times[run]!)} ms, exit ${result.status}, ${errors} errors`);
    }
    // Apart from the seeded errors the repository is valid Flux, so any other count is a finding.
    const check = errors === repo.seededErrors ? 'exactly the seeded errors' : 'MISMATCH';
    console.log(`  check: ${errors} errors reported, ${repo.seededErrors} seeded in the files written: ${check}`);
    const total = median(times);
    console.log('');
    console.log(
      table(
        ['metric (median)', 'flux-gitops', 'target', 'result'],
        [[`lint ${repo.files} files (ms, whole process)`, round(total), `< ${TARGET_MS}`, total < TARGET_MS ? 'PASS' : 'MISS']],
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
