/**
 * Kubeconfig loading as kubectl does it: the files of KUBECONFIG (path-list, merged; for a name
 * defined twice the first file wins, and so does the first current-context), else ~/.kube/config.
 * Each context gets its own in-memory KubeConfig whose current context is that context: the files
 * are only read, never written, so showing another context never changes the user's current-context.
 */
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export interface LoadedKubeConfig {
  readonly files: readonly string[];
  readonly config: KubeConfig;
  /** Problems with individual files (unreadable, invalid YAML); the others still load. */
  readonly errors: readonly string[];
}

export function kubeconfigFiles(env: NodeJS.ProcessEnv, home: string | undefined): string[] {
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f.length > 0);
  if (fromEnv.length) return fromEnv.filter((f) => existsSync(f));
  const fallback = home ? join(home, '.kube', 'config') : undefined;
  return fallback && existsSync(fallback) ? [fallback] : [];
}

/** Loads and merges; undefined when there is no kubeconfig at all. */
export function loadKubeConfig(files: readonly string[]): LoadedKubeConfig | undefined {
  if (files.length === 0) return undefined;
  const merged = new KubeConfig();
  merged.loadFromOptions({ clusters: [], users: [], contexts: [], currentContext: '' });
  const errors: string[] = [];
  for (const file of files) {
    const kc = new KubeConfig();
    try {
      kc.loadFromFile(file);
    } catch (e) {
      // The YAML parser's message goes on to quote the lines around the error, which may hold a token,
      // password or key: only its first line (the reason and the position) reaches the log and the view.
      errors.push(`${file}: ${(e as Error).message.split('\n')[0]}`);
      continue;
    }
    for (const c of kc.clusters) if (!merged.getCluster(c.name)) merged.clusters.push(c);
    for (const u of kc.users) if (!merged.getUser(u.name)) merged.users.push(u);
    for (const c of kc.contexts) if (!merged.getContextObject(c.name)) merged.contexts.push(c);
    if (!merged.currentContext && kc.currentContext) merged.currentContext = kc.currentContext;
  }
  return { files, config: merged, errors };
}

/** A private KubeConfig for one context (shares the loaded entries, never saved anywhere). */
export function configForContext(config: KubeConfig, context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({ clusters: config.clusters, users: config.users, contexts: config.contexts, currentContext: context });
  return kc;
}

/**
 * The contexts to show: the configured names that exist ("*" = all), or the current context.
 */
export function contextsToShow(config: KubeConfig, wanted: readonly string[]): string[] {
  const all = config.getContexts().map((c) => c.name);
  if (wanted.includes('*')) return all;
  const chosen = wanted.filter((w) => all.includes(w));
  if (chosen.length) return chosen;
  return config.currentContext && all.includes(config.currentContext) ? [config.currentContext] : all.slice(0, 1);
}
