/**
 * Text about one live object, shared by the tree, the CodeLens and the quick pick: its revision,
 * its age, and a Markdown tooltip with conditions, revisions, last handled reconcile, interval and
 * suspension. Plain strings, no VS Code.
 */
import { age } from '../connection/clock';
import { conditionsOf, condition, isSuspended, stringAt, type KubeObject } from '../connection/objects';
import { shortRevision } from './revision';
import type { StatusSummary } from './status';

/** The revision that best says what the object is at: applied, fetched, released or selected. */
export function revisionOf(obj: KubeObject): string | undefined {
  const s = obj.status;
  if (!s) return undefined;
  switch (obj.kind) {
    case 'Kustomization':
      return stringAt(s, ['lastAppliedRevision']) ?? stringAt(s, ['lastAttemptedRevision']);
    case 'HelmRelease': {
      const history = s['history'];
      const latest = Array.isArray(history) ? (history[0] as { chartVersion?: string } | undefined) : undefined;
      return latest?.chartVersion ?? stringAt(s, ['lastAttemptedRevision']);
    }
    case 'ImagePolicy':
      return stringAt(s, ['latestRef', 'tag']) ?? stringAt(s, ['latestImage'])?.split(':').pop();
    default:
      return stringAt(s, ['artifact', 'revision']);
  }
}

export function shortRevisionOf(obj: KubeObject): string {
  return shortRevision(revisionOf(obj));
}

/** Age of the current status (Ready's last transition), else of the object. */
export function statusAge(obj: KubeObject, now: number): string {
  return age(condition(obj, 'Ready')?.lastTransitionTime ?? obj.metadata.creationTimestamp, now);
}

export const STATE_LABELS: Readonly<Record<StatusSummary['state'], string>> = {
  ready: 'Ready',
  reconciling: 'Reconciling',
  failed: 'Failed',
  stalled: 'Stalled',
  suspended: 'Suspended',
  unknown: 'Unknown',
  terminating: 'Terminating',
};

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|]/g, (c) => `\\${c}`);
}

export function tooltipMarkdown(obj: KubeObject, summary: StatusSummary, extraLines: readonly string[] = []): string {
  const ns = obj.metadata.namespace ? `${obj.metadata.namespace}/` : '';
  const lines = [`**${obj.kind} ${escape(ns + obj.metadata.name)}**: ${STATE_LABELS[summary.state]}`, ''];
  const conditions = conditionsOf(obj);
  // Without conditions, the summary's own explanation (no controller has reported yet) is all there is.
  if (conditions.length === 0 && summary.message) lines.push(escape(summary.message));
  for (const c of conditions) {
    lines.push(`- ${c.type}=${c.status}${c.reason ? ` (${escape(c.reason)})` : ''}${c.message ? `: ${escape(c.message)}` : ''}`);
  }
  const facts: [string, string | undefined][] = [
    ['Artifact revision', stringAt(obj, ['status', 'artifact', 'revision'])],
    ['Last applied revision', stringAt(obj, ['status', 'lastAppliedRevision'])],
    ['Last attempted revision', stringAt(obj, ['status', 'lastAttemptedRevision'])],
    ['Latest image', stringAt(obj, ['status', 'latestImage']) ?? stringAt(obj, ['status', 'latestRef', 'tag'])],
    ['Last handled reconcile', stringAt(obj, ['status', 'lastHandledReconcileAt'])],
    ['Interval', stringAt(obj, ['spec', 'interval'])],
    ['Suspended', isSuspended(obj) ? 'yes' : undefined],
  ];
  const present = facts.filter((f): f is [string, string] => f[1] !== undefined);
  if (present.length || extraLines.length) lines.push('');
  for (const [label, value] of present) lines.push(`${label}: \`${value}\`  `);
  for (const extra of extraLines) lines.push(`${extra}  `);
  return lines.join('\n');
}
