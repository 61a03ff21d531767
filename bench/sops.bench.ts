// SOPS: decrypt and encrypt a 1,000-value YAML file in-process vs the real `sops` binaries
// (built by test/setup/sops.sh into $FLUX_GITOPS_CACHE). The binary figures include process
// start-up, which is what a tool shelling out to sops pays per file; in-process figures are
// given for the first call and warm (medians). Each side decrypts the
// other's output first, so a broken engine cannot post a number.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { decrypt, encrypt } from '../server/src/sops/stores/yaml';
import { nodeSopsIo } from '../server/src/sops/io';
import { parseIdentities } from '../server/src/sops/keys';
import { DEFAULT_RULE } from '../server/src/sops/metadata';
import { median, round, table } from './report';

const RUNS = Number(process.env['FLUX_BENCH_RUNS'] ?? 5);
const root = resolve(__dirname, '..');
const keyFile = resolve(root, '../shared/fixtures/sops/kustomize-controller/keys/age.txt');
const recipient = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
const cache = process.env['FLUX_GITOPS_CACHE'] ?? join(homedir(), '.cache', 'flux-gitops');

/** 100 services × 10 values of every scalar kind = 1,000 encrypted values. */
function thousandValues(): string {
  const lines = ['# 1,000 values'];
  for (let s = 0; s < 100; s++) {
    lines.push(`service${s}:`, `  password: p@ss-${s}-${'x'.repeat(s % 17)}`, `  port: ${8000 + s}`, `  ratio: ${s}.25`, `  enabled: ${s % 2 === 0}`);
    lines.push(`  created: 2024-01-${String((s % 28) + 1).padStart(2, '0')}`, `  token: "${Buffer.from(`token-${s}`).toString('base64')}"`, `  hosts: [a${s}.example.com, b${s}.example.com]`);
    lines.push(`  mode: 0755`, `  nested:`, `    key: value-${s}`);
  }
  return `${lines.join('\n')}\n`;
}

function time(run: () => unknown): number {
  const start = performance.now();
  run();
  return performance.now() - start;
}

async function timeAsync(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

async function main(): Promise<void> {
  const plaintext = thousandValues();
  const keyText = readFileSync(keyFile, 'utf8');
  const identities = { keys: parseIdentities(keyText).keys, searched: [], unsupported: [] };
  const io = nodeSopsIo({});
  const ours = await encrypt(plaintext, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, io);
  // Every ENC[…] but the comment and the MAC.
  const values = (ours.match(/ENC\[AES256_GCM[^\]]*type:(?!comment)/g) ?? []).length - 1;
  if (values !== 1000) throw new Error(`expected 1,000 encrypted values, got ${values}`);

  const rows: string[][] = [];
  const encryptOnce = (): Promise<number> => timeAsync(() => encrypt(plaintext, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, io));
  const decryptOnce = (): Promise<number> => timeAsync(() => decrypt(ours, identities));
  // The first call pays module loading and JIT warm-up (a one-shot CLI run); an editor that is
  // already running sees the warm figures.
  rows.push(['in-process, first call', round(await decryptOnce()), round(await encryptOnce())]);
  for (let i = 0; i < 3; i++) await Promise.all([decryptOnce(), encryptOnce()]);
  const encTimes: number[] = [];
  const decTimes: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    encTimes.push(await encryptOnce());
    decTimes.push(await decryptOnce());
  }
  rows.push(['in-process, warm', round(median(decTimes)), round(median(encTimes))]);

  const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-bench-'));
  let missing = false;
  try {
    const plainFile = join(work, 'plain.yaml');
    const oursFile = join(work, 'ours.yaml');
    writeFileSync(plainFile, plaintext);
    writeFileSync(oursFile, ours);
    const env = { PATH: process.env['PATH'] ?? '', HOME: work, SOPS_AGE_KEY: keyText };
    for (const version of readFileSync(join(root, 'test/sops/sops-versions.txt'), 'utf8').split('\n').filter(Boolean)) {
      const binary = join(cache, 'sops', version, 'sops');
      if (!existsSync(binary)) {
        console.error(`sops ${version} missing at ${binary}: run test/setup/sops.sh`);
        missing = true;
        continue;
      }
      const sops = (...args: string[]): string => execFileSync(binary, ['--disable-version-check', ...args], { cwd: work, env, encoding: 'utf8', maxBuffer: 64 << 20 });
      const theirs = sops('-e', '--age', recipient, plainFile);
      const check = await decrypt(theirs, identities);
      if (!check.plaintext.includes('p@ss-99-')) throw new Error(`our decryption of sops ${version} output is wrong`);
      const theirsFile = join(work, `theirs-${version}.yaml`);
      writeFileSync(theirsFile, theirs);
      if (!sops('-d', oursFile).includes('p@ss-99-')) throw new Error(`sops ${version} cannot decrypt our output`);
      const enc: number[] = [];
      const dec: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        enc.push(time(() => sops('-e', '--age', recipient, plainFile)));
        dec.push(time(() => sops('-d', theirsFile)));
      }
      rows.push([`sops ${version} binary`, round(median(dec)), round(median(enc))]);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`SOPS, 1,000-value YAML file (${plaintext.length} bytes plaintext, ${ours.length} encrypted), median of ${RUNS} runs`);
  console.log(table(['engine', 'decrypt ms', 'encrypt ms'], rows));
  if (missing) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
