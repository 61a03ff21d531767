/**
 * Read-only documents for live objects (`flux-live:` URIs): the object as YAML with Secret values
 * masked, or its events and its source's events. Re-rendered when the watch sees the object change.
 */
import * as vscode from 'vscode';
import type { ClusterFeature } from './clusterFeature';
import { messageOf } from '../connection/contextSession';
import { resolveResource } from '../connection/discovery';
import { eventsFor, formatEvents } from '../model/events';
import { liveYaml } from '../model/liveYaml';
import type { KubeObject } from '../connection/objects';
import { resourcePath } from '../connection/resourceWatch';
import { sourceOf } from '../model/sourceOf';

export const LIVE_SCHEME = 'flux-live';

export interface LiveTarget {
  readonly context: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** For objects the watches do not hold (inventory entries): how to read them. */
  readonly apiVersion?: string;
}

export function liveUri(target: LiveTarget, view: 'yaml' | 'events'): vscode.Uri {
  const file = `${target.kind}-${target.namespace ? `${target.namespace}-` : ''}${target.name}${view === 'events' ? '.events.txt' : '.yaml'}`;
  const query = JSON.stringify({ ...target, view });
  return vscode.Uri.from({ scheme: LIVE_SCHEME, path: `/${target.context}/${file}`, query });
}

export class LiveDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;
  private readonly unsubscribe: () => void;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly feature: ClusterFeature) {
    // Open documents follow the watches, at most once a second.
    this.unsubscribe = feature.clusters.changed.on(() => {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === LIVE_SCHEME) this.emitter.fire(doc.uri);
      }, 1000);
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const target = JSON.parse(uri.query) as LiveTarget & { view: 'yaml' | 'events' };
    const session = this.feature.clusters.session(target.context);
    if (!session) return `# context ${target.context} is not shown\n`;
    try {
      const watched = session.get(target.kind, target.namespace, target.name);
      if (target.view === 'yaml') return liveYaml(watched ?? (await this.read(target)));
      const now = Date.now();
      let text = formatEvents(`Events of ${target.kind} ${target.namespace ?? ''}/${target.name}`, await eventsFor(session.api, target.kind, target.namespace ?? 'default', target.name), now);
      const source = watched && sourceOf(watched);
      if (source) text += `\n${formatEvents(`Events of its source ${source.kind} ${source.namespace}/${source.name}`, await eventsFor(session.api, source.kind, source.namespace, source.name), now)}`;
      return text;
    } catch (e) {
      return `# cannot read ${target.kind} ${target.name} from ${target.context}: ${messageOf(e)}\n`;
    }
  }

  private async read(target: LiveTarget): Promise<KubeObject> {
    const session = this.feature.clusters.session(target.context)!;
    const type = session.typeOf(target.kind) ?? (target.apiVersion ? await resolveResource(session.api, target.apiVersion, target.kind) : undefined);
    if (!type) throw new Error(`unknown kind ${target.kind}`);
    return session.api.request<KubeObject>('GET', resourcePath(type, target.namespace, target.name));
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unsubscribe();
    this.emitter.dispose();
  }
}
