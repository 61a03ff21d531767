// Runs the set-up scripts a command needs (test/setup/<name>.sh) before it starts: `npm test`, `npm start`
// and `npm run bench` call it, so a fresh clone needs nothing but `npm ci` first. Each script is idempotent
// and caches what it builds under $FLUX_GITOPS_CACHE, so a warm run prints one line per script. A cold one
// (Go builds of the control plane: tens of minutes on 2 cores) streams the script's own progress once it has
// run for a couple of seconds, so a long first run is never silent.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const setupDir = new URL('.', import.meta.url).pathname;
const cacheDir = process.env.FLUX_GITOPS_CACHE || join(homedir(), '.cache', 'flux-gitops');
/** How long a script may run before its output is shown as it comes (a warm script finishes well within). */
const QUIET_MS = 2000;

/** Which set-up each test folder needs; folders not listed need none. */
export const SETUP_OF_SUITE = {
  unit: ['sops'],
  sops: ['sops'],
  cluster: ['sops', 'cluster'],
  e2e: ['sops', 'cluster', 'code-server'],
  kustomize: ['kustomize'],
};

/** The set-up scripts for these suite folders, in the order SETUP_OF_SUITE lists them, each once. */
export function setupsFor(suites) {
  const names = [];
  for (const suite of suites) for (const name of SETUP_OF_SUITE[suite] ?? []) if (!names.includes(name)) names.push(name);
  return names;
}

/** Runs test/setup/<name>.sh for each name in turn; rejects (with the script's output shown) on the first failure. */
export async function ensureSetup(names) {
  for (const name of names) await runScript(name);
}

function runScript(name) {
  const script = join(setupDir, `${name}.sh`);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // One run of a script at a time on a machine (two checkouts testing at once share the cache): the
    // second waits for the first and then finds everything cached.
    mkdirSync(cacheDir, { recursive: true });
    const lock = join(cacheDir, `.setup-${name}.lock`);
    const child = spawn('flock', [lock, 'bash', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let held = [];
    let streaming = false;
    const stream = () => {
      if (streaming) return;
      streaming = true;
      process.stdout.write(`setup ${name}: not cached yet, building (output follows)\n`);
      for (const chunk of held) process.stdout.write(chunk);
      held = [];
    };
    const timer = setTimeout(stream, QUIET_MS);
    const take = (chunk) => (streaming ? process.stdout.write(chunk) : held.push(chunk));
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`setup ${name}: could not run ${script}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (code === 0) {
        process.stdout.write(`setup ${name}: ready (${seconds} s)\n`);
        resolve();
        return;
      }
      stream();
      reject(new Error(`setup ${name}: ${script} failed (${signal ?? `exit ${code}`}) after ${seconds} s`));
    });
  });
}
