// Adversarial inputs for every regular expression and small parser that reads outside text (sops
// rules and path_regex, CRD patterns through validation, semver ranges through the HelmRelease
// diagnostics, durations, image policy markers, substitution, the completion cursor context, the
// fast YAML parser): the classic shapes of catastrophic backtracking, up to ~100 KB. The cases
// (regexCases.ts) run in a worker thread, so a case stuck in an exponential match, which no timer
// on its own thread can interrupt, is stopped and named instead of hanging the test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Report } from './regexCases';

/**
 * Per-input bound: 250 ms. A linear engine takes about 1 to 50 ms on these inputs (100 KB through
 * RE2, or through the engine's parse and validation); a backtracking blow-up takes seconds to
 * hours. The bound sits between with room for a 2-core machine shared with other jobs: it catches
 * exponential and polynomial blow-ups, not a slow machine. An input over it runs up to twice more
 * and counts its fastest run: a garbage collection, the first compilation of a code path or a load
 * spike can fall in one run, a blow-up falls in all.
 */
const BOUND_MS = 250;
/** A worker silent this long is stuck (a case is hundreds of times over the bound): stopped. */
const STALL_MS = 60_000;

interface Outcome {
  readonly reports: { name: string; ms: number; size: number }[];
  readonly stuck?: string;
  readonly error?: string;
}

function runInWorker(): Promise<Outcome> {
  const bootstrap = `
    const { parentPort, workerData } = require('node:worker_threads');
    require(${JSON.stringify(require.resolve('tsx/cjs'))});
    const { runRegexCases } = require(${JSON.stringify(join(__dirname, 'regexCases.ts'))});
    runRegexCases((report) => parentPort.postMessage(report), workerData.boundMs).then(
      () => parentPort.postMessage({ done: true }),
      (error) => parentPort.postMessage({ error: String((error && error.stack) || error) }),
    );`;
  const worker = new Worker(bootstrap, { eval: true, workerData: { boundMs: BOUND_MS } });
  const reports: Outcome['reports'] = [];
  let current = 'worker start';
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout;
    const finish = (outcome: Omit<Outcome, 'reports'>) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve({ reports, ...outcome });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ stuck: current }), STALL_MS);
    };
    arm();
    worker.on('message', (message: Report | { done: true } | { error: string }) => {
      arm();
      if ('done' in message) finish({});
      else if ('error' in message) finish({ error: `${current}: ${message.error}` });
      else if ('starting' in message) current = message.starting;
      else reports.push(message);
    });
    worker.on('error', (error) => finish({ error: `${current}: ${error.stack ?? String(error)}` }));
  });
}

test(`every outside-text regex and parser answers each hostile input within ${BOUND_MS} ms`, async (t) => {
  const outcome = await runInWorker();
  const slow = outcome.reports.filter((r) => r.ms > BOUND_MS).map((r) => `${r.name}: ${r.ms.toFixed(0)} ms`);
  const slowest = [...outcome.reports].sort((a, b) => b.ms - a.ms).slice(0, 5);
  const largest = outcome.reports.reduce((size, r) => Math.max(size, r.size), 0);
  t.diagnostic(`${outcome.reports.length} inputs, largest ${largest} chars; slowest: ${slowest.map((r) => `${r.ms.toFixed(0)} ms ${r.name}`).join('; ')}`);
  assert.equal(outcome.stuck, undefined, `stuck for over ${STALL_MS / 1000} s (stopped): ${outcome.stuck}`);
  assert.equal(outcome.error, undefined);
  assert.deepEqual(slow, []);
  // Every family ran, the reproductions of issue 11 among them.
  for (const family of ['sops rule', 'path_regex', 'reproduction: encrypt', 'reproduction: decrypt', 'reproduction: CRD pattern', 'CRD patterns on values', 'reproduction: HelmRelease', 'semver range', 'duration', 'image policy marker', 'substitution', 'completion after', 'Kustomization spec.path', 'sops scalar']) {
    assert.ok(outcome.reports.some((r) => r.name.startsWith(family)), family);
  }
});
