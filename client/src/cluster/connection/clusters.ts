/**
 * The set of context sessions shown: built from the kubeconfig and the settings, rebuilt on
 * demand (settings or kubeconfig changed, refresh). Knows nothing about VS Code.
 */
import type { BackoffOptions } from './backoff';
import type { Clock } from './clock';
import { ContextSession, type SessionChange } from './contextSession';
import { configForContext, contextsToShow, loadKubeConfig } from './kubeconfig';
import { Listeners } from './listeners';
import { HttpKubeApi, type KubeApi } from './transport';
import type { KubeConfig } from '@kubernetes/client-node';

export interface ClusterSettings {
  readonly contexts: readonly string[];
  readonly namespaces: readonly string[];
}

export type ClustersState =
  | { readonly kind: 'noKubeconfig' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'loaded'; readonly files: readonly string[]; readonly errors: readonly string[] };

export class Clusters {
  sessions: ContextSession[] = [];
  state: ClustersState = { kind: 'noKubeconfig' };
  /** Fires when anything shown changes: sessions replaced (undefined) or a session's objects/state. */
  readonly changed = new Listeners<ContextSession | undefined>();
  /** The same session changes with their details (which objects, whether the set changed). */
  readonly sessionChanged = new Listeners<{ readonly session: ContextSession; readonly change: SessionChange }>();
  private unsubscribe: (() => void)[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly makeApi: (config: KubeConfig) => KubeApi = (config) => new HttpKubeApi(config),
    private readonly backoff?: BackoffOptions,
  ) {}

  load(files: readonly string[], settings: ClusterSettings): void {
    this.dispose();
    let loaded;
    try {
      loaded = loadKubeConfig(files);
    } catch (e) {
      this.state = { kind: 'invalid', message: (e as Error).message };
      return this.changed.emit(undefined);
    }
    if (!loaded || loaded.config.getContexts().length === 0) {
      this.state = loaded?.errors.length ? { kind: 'invalid', message: loaded.errors.join('\n') } : { kind: 'noKubeconfig' };
      return this.changed.emit(undefined);
    }
    const errors = [...loaded.errors];
    for (const name of contextsToShow(loaded.config, settings.contexts)) {
      const config = configForContext(loaded.config, name);
      let api: KubeApi;
      try {
        api = this.makeApi(config);
      } catch (e) {
        errors.push(`context ${name}: ${(e as Error).message}`);
        continue;
      }
      const defaultNamespace = config.getContextObject(name)?.namespace;
      const session = new ContextSession(name, api, this.clock, { namespaces: settings.namespaces, defaultNamespace, backoff: this.backoff });
      this.unsubscribe.push(
        session.changed.on((change) => {
          this.sessionChanged.emit({ session, change });
          this.changed.emit(session);
        }),
      );
      this.sessions.push(session);
      session.start();
    }
    this.state = this.sessions.length ? { kind: 'loaded', files: loaded.files, errors } : { kind: 'invalid', message: errors.join('\n') };
    this.changed.emit(undefined);
  }

  session(context: string): ContextSession | undefined {
    return this.sessions.find((s) => s.context === context);
  }

  dispose(): void {
    for (const u of this.unsubscribe) u();
    for (const s of this.sessions) s.stop();
    this.unsubscribe = [];
    this.sessions = [];
  }
}
