/**
 * Kubernetes events about an object (what the Flux controllers report), newest last, as text.
 */
import { age } from '../connection/clock';
import type { KubeApi } from '../connection/transport';

export interface KubeEvent {
  readonly type?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly count?: number;
  readonly lastTimestamp?: string;
  readonly eventTime?: string;
  readonly firstTimestamp?: string;
  readonly involvedObject?: { kind?: string; name?: string; namespace?: string };
  readonly source?: { component?: string };
  readonly reportingComponent?: string;
  readonly metadata?: { creationTimestamp?: string };
}

export function eventTime(e: KubeEvent): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
}

export async function eventsFor(api: KubeApi, kind: string, namespace: string, name: string): Promise<KubeEvent[]> {
  const selector = encodeURIComponent(`involvedObject.kind=${kind},involvedObject.name=${name}`);
  const list = await api.request<{ items?: KubeEvent[] }>('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${selector}`);
  return (list.items ?? []).sort((a, b) => eventTime(a).localeCompare(eventTime(b)));
}

export function formatEvents(title: string, events: readonly KubeEvent[], now: number): string {
  const lines = [`# ${title}`, ''];
  if (events.length === 0) lines.push('(no events: Kubernetes keeps them for one hour by default)');
  for (const e of events) {
    const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
    const from = e.reportingComponent || e.source?.component || '';
    lines.push(`${age(eventTime(e), now).padStart(4)} ago  ${(e.type ?? '').padEnd(7)} ${e.reason ?? ''}${count}${from ? `  [${from}]` : ''}`);
    for (const line of (e.message ?? '').split('\n')) lines.push(`      ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
