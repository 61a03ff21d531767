// Local control plane (test/cluster): warm start time (binaries cached, state folder fresh: certificates,
// SQLite, CRDs, controllers) and the real controllers' round trip from a pushed commit and a requested
// reconcile to the new revision applied. Runs its own plane (state folder and ports of its own, 18xxx), so a
// plane used by tests is left alone, and stops it at the end. Run: node --import tsx bench/plane.bench.ts
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createEnv } from '../test/cluster/env';
import { median, round, table } from './report';

const run = promisify(execFile);
const RUNS = Number(process.env.FLUX_BENCH_RUNS ?? 3);
Object.assign(process.env, {
  FLUX_GITOPS_CLUSTER_DIR: '/tmp/flux-gitops-bench-plane',
  FLUX_GITOPS_API_PORT: '18443',
  FLUX_GITOPS_KINE_PORT: '18379',
  FLUX_GITOPS_GIT_PORT: '18418',
  FLUX_GITOPS_STORAGE_PORT: '18480',
  FLUX_GITOPS_CONTROLLER_PORTS_BASE: '18481',
});
const ctl = join(__dirname, '../test/cluster/ctl.sh');

interface Flux extends KubernetesObject {
  status?: { lastAppliedRevision?: string; lastHandledReconcileAt?: string; conditions?: { type: string; status: string }[] };
}
const isReady = (o: Flux) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const start = performance.now();
  const value = await fn();
  return [performance.now() - start, value];
}

async function main(): Promise<void> {
  const starts: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    await run('bash', [ctl, 'down']);
    const [ms] = await timed(() => run('bash', [ctl, 'up']));
    starts.push(ms);
  }

  const env = await createEnv('bench');
  const { gitRepository: repo, kustomization: ks } = env.fluxObjects();
  const first = env.head!.revision;
  const [firstMs] = await timed(async () => {
    await env.apply(repo);
    await env.apply(ks);
    await env.waitFor<Flux>(ks, (o) => isReady(o) && o.status?.lastAppliedRevision === first, `applied ${first}`);
  });

  const roundTrips: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const commit = await env.pushCommit({ 'app/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\ndata:\n  commit: "${i + 2}"\n` });
    const [ms] = await timed(async () => {
      // As `flux reconcile kustomization --with-source`: the source first, then the Kustomization.
      for (const obj of [repo, ks]) {
        const at = new Date().toISOString();
        await env.mergePatch(obj, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': at } } });
        await env.waitFor<Flux>(obj, (o) => o.status?.lastHandledReconcileAt === at && isReady(o), `handled ${at}`);
      }
      await env.waitFor<Flux>(ks, (o) => o.status?.lastAppliedRevision === commit.revision, `applied ${commit.revision}`);
    });
    roundTrips.push(ms);
  }
  await env.dispose();
  await run('bash', [ctl, 'down']);

  console.log(
    table(
      ['local control plane', 'median ms', 'min ms', 'max ms', 'runs'],
      [
        ['warm start (up.sh, fresh state)', starts],
        ['first GitRepository + Kustomization Ready', [firstMs]],
        ['push + reconcile with source → applied', roundTrips],
      ].map(([name, v]) => {
        const values = v as number[];
        return [name as string, round(median(values), 0), round(Math.min(...values), 0), round(Math.max(...values), 0), String(values.length)];
      }),
    ),
  );
}

main().catch(async (err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  await run('bash', [ctl, 'down']).catch(() => undefined);
  process.exit(1);
});
