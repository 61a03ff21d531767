// Shared by the client-*.test.ts suites: the extension's own cluster code (kubeconfig loading,
// transport, watches) pointed at the local control plane, and a wait on what the watches deliver.
import { systemClock } from '../../client/src/cluster/connection/clock';
import { Clusters } from '../../client/src/cluster/connection/clusters';
import type { ContextSession } from '../../client/src/cluster/connection/contextSession';
import type { KubeObject } from '../../client/src/cluster/connection/objects';
import { summarize } from '../../client/src/cluster/model/status';
import { createEnv, type ClusterEnv } from './env';

/** The session the Flux view would show for this kubeconfig file (its current context). */
export function clientSession(kubeconfigPath: string, namespaces: readonly string[]): { clusters: Clusters; session: ContextSession } {
  const clusters = new Clusters(systemClock, undefined, { initialMs: 200, maxMs: 2000, random: Math.random });
  clusters.load([kubeconfigPath], { contexts: [], namespaces });
  const session = clusters.sessions[0];
  if (!session) throw new Error(`no context in ${kubeconfigPath}: ${JSON.stringify(clusters.state)}`);
  return { clusters, session };
}

/**
 * Resolves once `predicate` holds for the session, checked on every change the watches report
 * (no polling). The time limit only turns a hang into a failure that says what was awaited.
 */
export function until(session: ContextSession, predicate: () => boolean, what: string, limitMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (predicate()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`gave up after ${limitMs} ms waiting for: ${what}; session state ${session.state} ${session.error ?? ''}`));
    }, limitMs);
    const off = session.changed.on(() => {
      if (!predicate()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export function get(session: ContextSession, kind: string, namespace: string, name: string): KubeObject | undefined {
  return session.get(kind, namespace, name);
}

export function configMapFile(commit: string): Record<string, string> {
  return { 'app/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\ndata:\n  commit: "${commit}"\n` };
}

/** A fresh environment whose GitRepository `fleet` and Kustomization `app` are Ready, seen by a client session. */
export async function readyFleet(prefix: string): Promise<{ env: ClusterEnv; clusters: Clusters; session: ContextSession }> {
  const env = await createEnv(prefix);
  const { clusters, session } = clientSession(env.kubeconfigPath, [env.namespace]);
  const { gitRepository, kustomization } = env.fluxObjects();
  await env.apply(gitRepository);
  await env.apply(kustomization);
  const ks = () => get(session, 'Kustomization', env.namespace, 'app');
  await until(session, () => ks() !== undefined && summarize(ks()!).state === 'ready', 'Kustomization ready');
  return { env, clusters, session };
}
