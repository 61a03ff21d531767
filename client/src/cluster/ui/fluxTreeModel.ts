/**
 * The Flux tree as plain data (no VS Code): context → groups (kind categories or namespaces) →
 * objects → inventory / history / dependants. The VS Code provider only converts nodes to
 * TreeItems, so the benchmark and the tests drive this model directly.
 */
import type { Clusters } from '../connection/clusters';
import { kustomizationLiveness, sourceLiveness, sourceMatchesRepo } from '../model/commitLive';
import type { ContextSession } from '../connection/contextSession';
import { shortRevisionOf, STATE_LABELS, statusAge, tooltipMarkdown } from '../model/describe';
import { CATEGORY_LABELS, CATEGORY_ORDER, fluxKindInfo, groupOf, isReconcilable, type FluxCategory } from '../connection/fluxKinds';
import type { GitHead } from '../model/gitHead';
import { decodeHelmStorage, historyOf, storageSecretName, type HelmSnapshot } from '../model/helmRelease';
import { apiVersionOf, inventoryOf, type InventoryEntry } from '../model/inventory';
import { isSuspended, stringAt, type KubeObject } from '../connection/objects';
import { refersTo } from '../model/references';
import { summarize, type DisplayState } from '../model/status';
import { messageOf } from '../connection/contextSession';

export type Grouping = 'kind' | 'namespace';

export type TreeNode =
  | { readonly type: 'context'; readonly id: string; readonly context: string }
  | { readonly type: 'message'; readonly id: string; readonly severity: 'error' | 'warning' | 'info'; readonly text: string }
  | { readonly type: 'group'; readonly id: string; readonly context: string; readonly category?: FluxCategory; readonly namespace?: string }
  | { readonly type: 'object'; readonly id: string; readonly context: string; readonly nested: boolean; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly type: 'resource'; readonly id: string; readonly context: string; readonly entry: InventoryEntry }
  | { readonly type: 'section'; readonly id: string; readonly context: string; readonly section: 'history' | 'inventory'; readonly owner: KubeObject }
  | { readonly type: 'snapshot'; readonly id: string; readonly snapshot: HelmSnapshot };

export type NodeIcon = DisplayState | 'context' | 'contextError' | 'group' | 'namespace' | 'resource' | 'history' | 'inventory' | 'error' | 'warning' | 'info';

/** What a VS Code TreeItem is made of. */
export interface NodeView {
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: NodeIcon;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  /** Space-separated flags the package.json menus test with `viewItem =~ /flag/`. */
  readonly contextValue: string;
  /** What a screen reader says for the item (the icon alone carries the state). */
  readonly accessibleLabel?: string;
  /** A command the item runs when clicked, with the node as argument. */
  readonly clickCommand?: string;
}

export class FluxTreeModel {
  grouping: Grouping = 'kind';
  head: GitHead | undefined;

  constructor(
    private readonly clusters: Pick<Clusters, 'sessions' | 'session'>,
    private readonly now: () => number,
  ) {}

  roots(): TreeNode[] {
    const shown = this.clusters.sessions.filter((s) => s.state !== 'noFlux' || this.clusters.sessions.length > 1);
    return shown.map((s) => ({ type: 'context', id: `ctx:${s.context}`, context: s.context }));
  }

  async children(node: TreeNode): Promise<TreeNode[]> {
    switch (node.type) {
      case 'context':
        return this.contextChildren(node.context);
      case 'group':
        return this.groupChildren(node);
      case 'object':
        return this.objectChildren(node);
      case 'section':
        return node.section === 'history' ? this.historyChildren(node) : this.helmInventory(node);
      default:
        return [];
    }
  }

  private session(context: string): ContextSession | undefined {
    return this.clusters.session(context);
  }

  private contextChildren(context: string): TreeNode[] {
    const s = this.session(context);
    if (!s) return [];
    const nodes: TreeNode[] = [];
    const message = (severity: 'error' | 'warning' | 'info', text: string, i: number): TreeNode => ({ type: 'message', id: `msg:${context}:${severity}:${i}`, severity, text });
    if (s.state === 'error') nodes.push(message('error', `Cannot reach the cluster: ${s.error ?? 'unknown error'} (retrying)`, 0));
    if (s.state === 'noFlux') nodes.push(message('info', 'Flux is not installed in this cluster (no *.toolkit.fluxcd.io API served). Install it with `flux install` or `flux bootstrap`.', 0));
    if (s.state === 'connecting' && s.all().length === 0) nodes.push(message('info', 'Connecting…', 0));
    [...s.warnings].forEach((w, i) => nodes.push(message('warning', w, i + 1)));
    if (this.grouping === 'namespace') {
      const namespaces = [...new Set(s.all().map((o) => o.metadata.namespace ?? ''))].sort();
      for (const ns of namespaces) nodes.push({ type: 'group', id: `grp:${context}:ns:${ns}`, context, namespace: ns });
    } else {
      const present = new Set(s.all().map((o) => fluxKindInfo(groupOf(o.apiVersion), o.kind)?.category));
      for (const category of CATEGORY_ORDER) if (present.has(category)) nodes.push({ type: 'group', id: `grp:${context}:${category}`, context, category });
    }
    return nodes;
  }

  private objectNode(context: string, obj: KubeObject, parent: TreeNode): TreeNode {
    const ns = obj.metadata.namespace;
    const id = `${parent.id}/${obj.kind}:${ns ?? ''}:${obj.metadata.name}`;
    return { type: 'object', id, context, nested: parent.type !== 'group', kind: obj.kind, namespace: ns, name: obj.metadata.name };
  }

  private members(node: Extract<TreeNode, { type: 'group' }>): KubeObject[] {
    return (this.session(node.context)?.all() ?? []).filter((o) =>
      node.category ? fluxKindInfo(groupOf(o.apiVersion), o.kind)?.category === node.category : (o.metadata.namespace ?? '') === node.namespace,
    );
  }

  private groupChildren(node: Extract<TreeNode, { type: 'group' }>): TreeNode[] {
    const objects = this.members(node);
    const key = (o: KubeObject) => (node.category ? `${o.metadata.namespace ?? ''}/${o.kind}/${o.metadata.name}` : `${o.kind}/${o.metadata.name}`);
    const keyed = objects.map((o) => [key(o), o] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return keyed.map(([, o]) => this.objectNode(node.context, o, node));
  }

  private objectChildren(node: Extract<TreeNode, { type: 'object' }>): TreeNode[] {
    const s = this.session(node.context);
    const obj = s?.get(node.kind, node.namespace, node.name);
    if (!s || !obj) return [];
    if (obj.kind === 'Kustomization') {
      // Like `flux tree`: recurse into child Kustomizations, except those applying to another cluster.
      return inventoryOf(obj.status).map((entry) => {
        const live = fluxKindInfo(entry.group, entry.kind) ? s.get(entry.kind, entry.namespace || undefined, entry.name) : undefined;
        const remote = live?.kind === 'Kustomization' && live.spec?.['kubeConfig'] !== undefined;
        if (live && !remote && !`${node.id}/`.includes(`/${live.kind}:${live.metadata.namespace ?? ''}:${live.metadata.name}/`)) {
          return this.objectNode(node.context, live, node);
        }
        return { type: 'resource', id: `${node.id}/res:${entry.group}:${entry.kind}:${entry.namespace}:${entry.name}`, context: node.context, entry };
      });
    }
    if (obj.kind === 'HelmRelease') {
      return [
        { type: 'section', id: `${node.id}/history`, context: node.context, section: 'history', owner: obj },
        { type: 'section', id: `${node.id}/inventory`, context: node.context, section: 'inventory', owner: obj },
      ];
    }
    return s
      .all()
      .filter((o) => refersTo(o, obj))
      .map((o) => this.objectNode(node.context, o, node));
  }

  private historyChildren(node: Extract<TreeNode, { type: 'section' }>): TreeNode[] {
    return historyOf(node.owner).map((snapshot) => ({ type: 'snapshot', id: `${node.id}/v${snapshot.version}`, snapshot }));
  }

  /** The latest release's objects, from Helm's storage Secret (read on expand, not watched). */
  private async helmInventory(node: Extract<TreeNode, { type: 'section' }>): Promise<TreeNode[]> {
    const s = this.session(node.context);
    const latest = historyOf(node.owner)[0];
    if (!s || !latest) return [{ type: 'message', id: `${node.id}/none`, severity: 'info', text: 'No release yet' }];
    const release = latest.name ?? node.owner.metadata.name;
    const namespace = stringAt(node.owner, ['spec', 'storageNamespace']) ?? latest.namespace ?? node.owner.metadata.namespace ?? '';
    try {
      const secret = await s.api.request<{ data?: Record<string, string> }>('GET', `/api/v1/namespaces/${namespace}/secrets/${storageSecretName(release, latest.version)}`);
      const decoded = decodeHelmStorage(secret.data?.['release'] ?? '');
      return decoded.objects.map((o) => {
        const [group, version] = o.apiVersion.includes('/') ? (o.apiVersion.split('/') as [string, string]) : ['', o.apiVersion];
        const entry: InventoryEntry = { namespace: o.namespace ?? '', name: o.name, group, kind: o.kind, version };
        return { type: 'resource', id: `${node.id}/res:${group}:${o.kind}:${entry.namespace}:${o.name}`, context: node.context, entry };
      });
    } catch (e) {
      return [{ type: 'message', id: `${node.id}/error`, severity: 'warning', text: `Cannot read the Helm release: ${messageOf(e)}` }];
    }
  }

  /** An object's Markdown tooltip, computed only when the view asks for it (hover). */
  tooltip(node: TreeNode): string | undefined {
    const obj = this.objectOf(node);
    if (node.type !== 'object' || !obj) return this.view(node).tooltip;
    const live = this.liveness(node.context, obj);
    return tooltipMarkdown(obj, summarize(obj, fluxKindInfo(groupOf(obj.apiVersion), obj.kind)?.statusless), live ? [live] : []);
  }

  /** The live object a node stands for, if any. */
  objectOf(node: TreeNode): KubeObject | undefined {
    return node.type === 'object' ? this.session(node.context)?.get(node.kind, node.namespace, node.name) : undefined;
  }

  view(node: TreeNode): NodeView {
    switch (node.type) {
      case 'context':
        return this.contextView(node.context);
      case 'message':
        return { label: node.text, tooltip: node.text, icon: node.severity, collapsible: 'none', contextValue: 'fluxMessage' };
      case 'group': {
        // The count is here, not on the context: a changed count then refreshes this group, not every group.
        const description = String(this.members(node).length);
        return node.category
          ? { label: CATEGORY_LABELS[node.category], description, icon: 'group', collapsible: 'collapsed', contextValue: 'fluxGroup' }
          : { label: node.namespace || '(cluster)', description, icon: 'namespace', collapsible: 'collapsed', contextValue: 'fluxGroup' };
      }
      case 'object':
        return this.objectView(node);
      case 'resource': {
        const e = node.entry;
        return {
          label: `${e.kind}/${e.name}`,
          description: e.namespace,
          tooltip: `${apiVersionOf(e)} ${e.kind} ${e.namespace ? `${e.namespace}/` : ''}${e.name}`,
          icon: 'resource',
          collapsible: 'none',
          contextValue: 'fluxResource',
          clickCommand: 'fluxGitops.cluster.openLive',
        };
      }
      case 'section':
        return { label: node.section === 'history' ? 'History' : 'Inventory', icon: node.section, collapsible: 'collapsed', contextValue: 'fluxSection' };
      case 'snapshot': {
        const h = node.snapshot;
        return {
          label: `v${h.version} ${h.chartName ?? ''}@${h.chartVersion ?? ''}`,
          description: [h.status, h.appVersion && `app ${h.appVersion}`, h.lastDeployed].filter(Boolean).join(' · '),
          icon: h.status === 'deployed' ? 'ready' : h.status === 'failed' ? 'failed' : 'history',
          collapsible: 'none',
          contextValue: 'fluxSnapshot',
        };
      }
    }
  }

  private contextView(context: string): NodeView {
    const s = this.session(context);
    const description = s?.state === 'error' ? 'unreachable' : s?.state === 'noFlux' ? 'no Flux' : s?.state === 'connecting' ? 'connecting…' : 'connected';
    return {
      label: context,
      description,
      tooltip: s?.error ? `${context}: ${s.error}` : context,
      icon: s?.state === 'error' ? 'contextError' : 'context',
      collapsible: 'expanded',
      contextValue: 'fluxContext',
    };
  }

  /** Against the local HEAD: a line for the description and the tooltip, when the object is from this repository. */
  private liveness(context: string, obj: KubeObject): string | undefined {
    const head = this.head;
    if (!head) return undefined;
    let state;
    if (obj.kind === 'GitRepository' && sourceMatchesRepo(obj, head)) state = sourceLiveness(obj, head).state;
    else if (obj.kind === 'Kustomization') {
      const ref = obj.spec?.['sourceRef'] as { kind?: string; name?: string; namespace?: string } | undefined;
      const source = ref?.kind === 'GitRepository' && ref.name ? this.session(context)?.get('GitRepository', ref.namespace ?? obj.metadata.namespace, ref.name) : undefined;
      if (source && sourceMatchesRepo(source, head)) state = kustomizationLiveness(obj, head).state;
    }
    if (state === 'live') return `HEAD ${head.commit.slice(0, 7)} is live`;
    if (state === 'behind') return `HEAD ${head.commit.slice(0, 7)} not live yet`;
    return undefined;
  }

  private objectView(node: Extract<TreeNode, { type: 'object' }>): NodeView {
    const obj = this.objectOf(node);
    if (!obj) return { label: node.name, description: 'gone', icon: 'unknown', collapsible: 'none', contextValue: 'fluxGone' };
    const summary = summarize(obj, fluxKindInfo(groupOf(obj.apiVersion), obj.kind)?.statusless);
    const live = this.liveness(node.context, obj);
    const nested = node.nested;
    const label = this.grouping === 'namespace' || nested ? `${obj.kind}/${obj.metadata.name}` : `${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
    // A failure's message is what the user needs first; the tooltip has it whole.
    const failure = summary.state === 'failed' || summary.state === 'stalled' ? summary.message?.split('\n')[0]?.slice(0, 120) : undefined;
    const description = [this.grouping === 'kind' && !nested ? obj.kind : undefined, shortRevisionOf(obj), statusAge(obj, this.now()), live, failure]
      .filter(Boolean)
      .join(' · ');
    const flags = ['fluxObject', obj.kind];
    if (isReconcilable(groupOf(obj.apiVersion), obj.kind)) flags.push(isSuspended(obj) ? 'suspended' : 'active');
    if (obj.kind === 'Kustomization' || obj.kind === 'HelmRelease') flags.push('hasSource');
    const hasChildren =
      obj.kind === 'HelmRelease' ||
      (obj.kind === 'Kustomization' && inventoryOf(obj.status).length > 0) ||
      (fluxKindInfo(groupOf(obj.apiVersion), obj.kind)?.category === 'sources' || obj.kind === 'ImageRepository' || obj.kind === 'Provider');
    return {
      label,
      description,
      icon: summary.state,
      collapsible: hasChildren ? 'collapsed' : 'none',
      contextValue: flags.join(' '),
      accessibleLabel: `${obj.kind} ${label}: ${STATE_LABELS[summary.state]}${failure ? `, ${failure}` : ''}`,
    };
  }
}
