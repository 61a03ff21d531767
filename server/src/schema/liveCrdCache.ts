import type { FileSystem } from '../workspace/fileSystem';

/** Clusters kept in the file, most recently seen first: enough for the contexts one person switches between. */
const MAX_CLUSTERS = 8;

/** One cluster's CRDs as last seen live. */
interface CachedCluster {
  readonly savedAt: number;
  readonly crds: readonly unknown[];
}

/** The file's shape (`version` tells it from the array of CRDs earlier releases wrote, which is ignored). */
interface CacheFile {
  readonly version: 2;
  /** By kubeconfig context name. */
  readonly clusters: Record<string, CachedCluster>;
}

/**
 * The disk cache of live clusters' CRDs, shared by every workspace (the extension's global
 * storage): per kubeconfig context, the CRDs that cluster served when last connected. Nothing a
 * repository contains goes there, so one repository cannot change how another is checked. Several
 * windows share the file: each write merges what this one saw into what is on disk.
 */
export class LiveCrdCache {
  /** Read from disk at start. */
  private readonly loaded = new Map<string, CachedCluster>();
  /** Seen live by this process: newer than anything on disk, whatever the order the two arrive in. */
  private readonly seen = new Map<string, CachedCluster>();

  constructor(
    private readonly fs: FileSystem,
    private readonly file: string,
    private readonly log: (message: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async load(): Promise<void> {
    for (const [context, cluster] of await this.read()) this.loaded.set(context, cluster);
  }

  /** The CRDs last seen live in that context, if any. */
  crds(context: string): readonly unknown[] | undefined {
    return (this.seen.get(context) ?? this.loaded.get(context))?.crds;
  }

  /** Records a cluster's live CRDs and writes the file; never rejects (a failure is logged). */
  async record(context: string, crds: readonly unknown[]): Promise<void> {
    this.seen.set(context, { savedAt: this.now(), crds: [...crds] });
    try {
      const clusters = await this.read();
      for (const [name, cluster] of this.seen) clusters.set(name, cluster);
      const kept = [...clusters].sort((x, y) => y[1].savedAt - x[1].savedAt).slice(0, MAX_CLUSTERS);
      const file: CacheFile = { version: 2, clusters: Object.fromEntries(kept) };
      await this.fs.writeFile(this.file, JSON.stringify(file));
    } catch (error) {
      this.log(`cannot write CRD cache ${this.file}: ${String(error)}`);
    }
  }

  /** The clusters in the file; none when it is missing, unreadable or of another format. */
  private async read(): Promise<Map<string, CachedCluster>> {
    const clusters = new Map<string, CachedCluster>();
    const text = await this.fs.readFile(this.file).catch(() => undefined);
    if (text === undefined) return clusters;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.log(`ignoring unreadable CRD cache ${this.file}`);
      return clusters;
    }
    const entries: [string, unknown][] = isCacheFile(parsed) ? Object.entries(parsed.clusters) : [];
    for (const [context, cluster] of entries) if (isCachedCluster(cluster)) clusters.set(context, cluster);
    return clusters;
  }
}

function isCacheFile(value: unknown): value is CacheFile {
  const file = value as Partial<CacheFile> | null;
  return typeof file === 'object' && file !== null && file.version === 2 && typeof file.clusters === 'object' && file.clusters !== null;
}

function isCachedCluster(value: unknown): value is CachedCluster {
  const cluster = value as Partial<CachedCluster> | null;
  return typeof cluster === 'object' && cluster !== null && typeof cluster.savedAt === 'number' && Array.isArray(cluster.crds);
}
