/**
 * Test helper for the local control plane (real kube-apiserver on kine/SQLite, real Flux source- and
 * kustomize-controller, a Git smart-HTTP server; see the README, "Local control plane").
 *
 *   startCluster(): Promise<Cluster>
 *     Starts the plane with test/cluster/up.sh unless it already answers (serialised by a lock, so test files
 *     share one plane). Throws, pointing to test/setup/cluster.sh, when the binaries have not been built.
 *   createEnv(prefix, options?): Promise<ClusterEnv>
 *     A fresh namespace `<prefix>-<random>` for one suite, the restricted user allowed in it, and a Git
 *     repository of the same name seeded with `options.files` (default: an `app/` folder with one ConfigMap).
 *
 *   ClusterEnv (everything of Cluster, plus):
 *     namespace, repoName, repoUrl       where the suite's objects and Git repository live
 *     head                               the last commit pushed ({ sha, revision })
 *     pushCommit(files, message?)        commit files (path -> content, null deletes) and push over HTTP;
 *                                        returns { sha, revision } with revision `main@sha1:<sha>` as Flux
 *                                        reports it
 *     fluxObjects(path?)                 a GitRepository `fleet` on the env's repository and a Kustomization
 *                                        `app` of `path` (default ./app), hourly: to apply, not yet applied
 *     apply(obj)                         server-side apply as admin (namespace defaults to the env's)
 *     mergePatch(obj, patch)             JSON merge patch as admin (e.g. reconcile.fluxcd.io/requestedAt)
 *     read(obj) / remove(obj)            read or delete as admin
 *     waitFor(obj, predicate, what, ms)  polls an object until predicate(obj) holds; the error names `what`
 *                                        and shows the object's last status
 *     denyNamespace(ns?) / allowNamespace(ns?)
 *                                        remove / restore the restricted user's RoleBinding, and wait until the
 *                                        API server enforces it
 *     dispose()                          delete the suite's Flux objects and namespace, drop the work clone
 *
 *   Cluster:
 *     kubeconfigPath, restrictedKubeconfigPath  files written by up.sh (never the user's kubeconfig)
 *     kubeConfig(), restrictedKubeConfig()      loaded KubeConfig objects
 *     gitUrl, storageUrl                        Git server and source-controller artifact server
 *     fleetRepoUrl                              the seeded demo fleet (flux2-kustomize-helm-example); suites
 *                                               push to their own repositories, never to this one
 *     stopApiServer({ kill? })                  stop kube-apiserver (kill: SIGKILL, so watchers get no bookmark)
 *     startApiServer()                          start it again and wait for /readyz
 *     expireWatches()                           after it returns, resuming any watch opened before the call from
 *                                               its last resourceVersion gets 410 Gone (a write the watch cannot
 *                                               see, then a SIGKILL restart: the new watch cache starts after it)
 *   The API server faults act on the whole plane: suites using them must not run beside others (the test
 *   runner runs files one at a time on a 2-core machine).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  ApiException,
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  RbacAuthorizationV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';

const run = promisify(execFile);
const here = __dirname;
const ctl = join(here, 'ctl.sh');
const fieldManager = 'flux-gitops-tests';
const restrictedUser = 'flux-gitops-restricted';
const restrictedBinding = 'flux-gitops-restricted';

/** What up.sh wrote into $state/cluster.env (KEY=value lines). */
function readClusterEnv(state: string): Record<string, string> {
  const text = readFileSync(join(state, 'cluster.env'), 'utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

export function clusterStateDir(): string {
  return process.env.FLUX_GITOPS_CLUSTER_DIR ?? '/tmp/flux-gitops-cluster';
}

async function ctlRun(...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('bash', [ctl, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`test/cluster/ctl.sh ${args.join(' ')} failed:\n${e.stderr ?? e.message}`);
  }
}

export class Cluster {
  readonly kubeconfigPath: string;
  readonly restrictedKubeconfigPath: string;
  readonly gitUrl: string;
  readonly fleetRepoUrl: string;
  readonly storageUrl: string;
  readonly state: string;

  constructor(state: string) {
    const env = readClusterEnv(state);
    this.state = state;
    this.kubeconfigPath = env.FLUX_GITOPS_KUBECONFIG!;
    this.restrictedKubeconfigPath = env.FLUX_GITOPS_RESTRICTED_KUBECONFIG!;
    this.gitUrl = env.FLUX_GITOPS_GIT_URL!;
    this.fleetRepoUrl = env.FLUX_GITOPS_FLEET_REPO_URL!;
    this.storageUrl = env.FLUX_GITOPS_STORAGE_URL!;
  }

  kubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.kubeconfigPath);
    return kc;
  }

  restrictedKubeConfig(): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromFile(this.restrictedKubeconfigPath);
    return kc;
  }

  async stopApiServer(options: { kill?: boolean } = {}): Promise<void> {
    await ctlRun('stop-apiserver', ...(options.kill ? ['--kill'] : []));
  }

  async startApiServer(): Promise<void> {
    await ctlRun('start-apiserver');
  }

  async expireWatches(): Promise<void> {
    const core = this.kubeConfig().makeApiClient(CoreV1Api);
    const ns = 'flux-gitops-faults';
    await ignoreConflict(core.createNamespace({ body: { metadata: { name: ns } } }));
    // A write in a namespace no suite watches moves the store's revision past every suite's watches.
    const name = 'watch-expiry';
    const body = { metadata: { name, namespace: ns }, data: { at: new Date().toISOString() } };
    await ignoreConflict(core.createNamespacedConfigMap({ namespace: ns, body }));
    await core.replaceNamespacedConfigMap({ name, namespace: ns, body });
    await this.stopApiServer({ kill: true });
    await this.startApiServer();
  }
}

async function ignoreConflict<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof ApiException && err.code === 409) return undefined;
    throw err;
  }
}

export async function startCluster(): Promise<Cluster> {
  const root = resolve(here, '../..');
  const state = clusterStateDir();
  const status = await run('bash', [ctl, 'status']).then(
    () => true,
    () => false,
  );
  if (!status || !existsSync(join(state, 'cluster.env'))) {
    try {
      await ctlRun('up');
    } catch (err) {
      const message = (err as Error).message;
      throw new Error(
        message.includes('missing binaries')
          ? `The local control plane's binaries are not built. Run: bash ${join(root, 'test/setup/cluster.sh')}\n${message}`
          : message,
      );
    }
  }
  return new Cluster(state);
}

export type Files = Record<string, string | null>;
export interface Commit {
  sha: string;
  /** As Flux reports it in status.artifact.revision and Ready messages. */
  revision: string;
}
export interface EnvOptions {
  files?: Files;
}

/** Header of an object: enough to read, delete or wait for it. */
export type ObjectRef = Pick<KubernetesObject, 'apiVersion' | 'kind'> & { metadata: { name: string; namespace?: string } };
export type Manifest = ObjectRef & { spec: Record<string, unknown> };

const defaultFiles: Files = {
  'app/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- configmap.yaml\n',
  'app/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: smoke\ndata:\n  commit: "1"\n',
};

export class ClusterEnv extends Cluster {
  readonly namespace: string;
  readonly repoName: string;
  readonly repoUrl: string;
  private readonly objects: KubernetesObjectApi;
  private readonly work: string;
  private readonly created: ObjectRef[] = [];
  /** The commit at the head of the repository's main branch, as last pushed. */
  head: Commit | undefined;

  constructor(state: string, namespace: string) {
    super(state);
    this.namespace = namespace;
    this.repoName = namespace;
    this.repoUrl = `${this.gitUrl}/${namespace}.git`;
    this.objects = KubernetesObjectApi.makeApiClient(this.kubeConfig());
    this.work = mkdtempSync(join(tmpdir(), `${namespace}-git-`));
  }

  private async git(...args: string[]): Promise<string> {
    const identity = ['-c', 'user.name=Flux GitOps tests', '-c', 'user.email=tests@flux-gitops.invalid'];
    const { stdout } = await run('git', [...identity, '-C', this.work, ...args]);
    return stdout.trim();
  }

  /** Creates the bare repository on the server side and pushes the first commit over HTTP. */
  async initRepo(files: Files): Promise<Commit> {
    const bare = join(this.state, 'git', `${this.repoName}.git`);
    await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    await this.git('init', '--quiet', '--initial-branch=main');
    await this.git('remote', 'add', 'origin', this.repoUrl);
    return this.pushCommit(files, 'initial commit');
  }

  async pushCommit(files: Files, message = 'test commit'): Promise<Commit> {
    for (const [path, content] of Object.entries(files)) {
      const target = join(this.work, path);
      if (content === null) rmSync(target, { force: true });
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
    await this.git('add', '--all');
    await this.git('commit', '--quiet', '--allow-empty', '-m', message);
    await this.git('push', '--quiet', 'origin', 'main');
    const sha = await this.git('rev-parse', 'HEAD');
    this.head = { sha, revision: `main@sha1:${sha}` };
    return this.head;
  }

  private withNamespace<T extends KubernetesObject>(obj: T): T {
    return { ...obj, metadata: { namespace: this.namespace, ...obj.metadata } };
  }

  async apply<T extends KubernetesObject>(obj: T): Promise<T> {
    const full = this.withNamespace(obj);
    const applied = await this.objects.patch(full, undefined, undefined, fieldManager, true, PatchStrategy.ServerSideApply);
    if (!this.created.some((o) => o.kind === full.kind && o.metadata.name === full.metadata?.name)) {
      this.created.push(full as ObjectRef);
    }
    return applied;
  }

  /**
   * A GitRepository on this env's repository and a Kustomization of its `path` into the env's namespace, not
   * yet applied. Intervals are an hour, so that a new revision comes only from a requested reconcile.
   */
  fluxObjects(path = './app'): { gitRepository: Manifest; kustomization: Manifest } {
    return {
      gitRepository: {
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'fleet', namespace: this.namespace },
        spec: { url: this.repoUrl, interval: '1h', ref: { branch: 'main' } },
      },
      kustomization: {
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'app', namespace: this.namespace },
        spec: {
          interval: '1h',
          path,
          prune: true,
          targetNamespace: this.namespace,
          sourceRef: { kind: 'GitRepository', name: 'fleet' },
        },
      },
    };
  }

  /** JSON merge patch (`application/merge-patch+json`) as admin, as `flux reconcile` and `flux suspend` do. */
  async mergePatch<T extends KubernetesObject>(ref: ObjectRef, patch: Record<string, unknown>): Promise<T> {
    const { apiVersion, kind, metadata } = this.withNamespace(ref as KubernetesObject);
    const body = { ...patch, apiVersion, kind, metadata: { ...(patch.metadata as object), name: metadata?.name, namespace: metadata?.namespace } };
    return this.objects.patch(body as T, undefined, undefined, fieldManager, undefined, PatchStrategy.MergePatch);
  }

  async read<T extends KubernetesObject>(ref: ObjectRef): Promise<T> {
    return this.objects.read<T>(this.withNamespace(ref as KubernetesObject) as ObjectRef);
  }

  async remove(ref: ObjectRef): Promise<void> {
    try {
      await this.objects.delete(this.withNamespace(ref as KubernetesObject));
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
  }

  async waitFor<T extends KubernetesObject>(
    ref: ObjectRef,
    predicate: (obj: T) => boolean,
    what: string,
    timeoutMs = 120_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastError: unknown;
    while (Date.now() < deadline) {
      try {
        last = await this.read<T>(ref);
        if (predicate(last)) return last;
      } catch (err) {
        lastError = err;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const seen = last ? JSON.stringify((last as { status?: unknown }).status ?? null) : String(lastError);
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${ref.kind} ${ref.metadata.name}: ${what}; last status: ${seen}`);
  }

  /** Whether the restricted user may list ConfigMaps in `ns`, as the API server decides it now. */
  async restrictedCanList(ns: string): Promise<boolean> {
    const authz = this.restrictedKubeConfig().makeApiClient(AuthorizationV1Api);
    const review = await authz.createSelfSubjectAccessReview({
      body: { spec: { resourceAttributes: { namespace: ns, verb: 'list', resource: 'configmaps' } } },
    });
    return review.status?.allowed === true;
  }

  private async untilRestricted(ns: string, allowed: boolean): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await this.restrictedCanList(ns)) === allowed) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`RBAC change for ${restrictedUser} in ${ns} not enforced after 10 s`);
  }

  async allowNamespace(ns = this.namespace): Promise<void> {
    const rbac = this.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    await ignoreConflict(
      rbac.createNamespacedRoleBinding({
        namespace: ns,
        body: {
          metadata: { name: restrictedBinding, namespace: ns },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: restrictedBinding },
          subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: restrictedUser }],
        },
      }),
    );
    await this.untilRestricted(ns, true);
  }

  async denyNamespace(ns = this.namespace): Promise<void> {
    const rbac = this.kubeConfig().makeApiClient(RbacAuthorizationV1Api);
    try {
      await rbac.deleteNamespacedRoleBinding({ name: restrictedBinding, namespace: ns });
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
    await this.untilRestricted(ns, false);
  }

  async dispose(): Promise<void> {
    // Flux objects first, while their controllers can still remove their finalizers.
    for (const ref of this.created.reverse()) await this.remove(ref);
    const core = this.kubeConfig().makeApiClient(CoreV1Api);
    try {
      await core.deleteNamespace({ name: this.namespace });
    } catch (err) {
      if (!(err instanceof ApiException && err.code === 404)) throw err;
    }
    rmSync(this.work, { recursive: true, force: true });
  }
}

export async function createEnv(prefix: string, options: EnvOptions = {}): Promise<ClusterEnv> {
  const cluster = await startCluster();
  const namespace = `${prefix}-${randomBytes(3).toString('hex')}`;
  const core = cluster.kubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespace({
    body: { metadata: { name: namespace, labels: { 'flux-gitops.test/env': prefix } } },
  });
  const env = new ClusterEnv(cluster.state, namespace);
  await env.allowNamespace();
  await env.initRepo(options.files ?? defaultFiles);
  return env;
}
