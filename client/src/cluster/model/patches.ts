/**
 * The JSON merge patches the flux CLI sends (Content-Type application/merge-patch+json), and the
 * RFC3339Nano timestamp it writes: Go's format drops trailing zeros of the fraction and the dot when
 * the fraction is zero. Any new value of requestedAt triggers a reconcile.
 */
export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
export const FORCE_AT = 'reconcile.fluxcd.io/forceAt';
export const RESET_AT = 'reconcile.fluxcd.io/resetAt';

export const MERGE_PATCH = 'application/merge-patch+json';

export function rfc3339Nano(epochMs: number): string {
  const iso = new Date(epochMs).toISOString(); // 2026-11-21T23:56:16.120Z
  const [seconds, fraction] = iso.slice(0, -1).split('.');
  const trimmed = (fraction ?? '').replace(/0+$/, '');
  return `${seconds}${trimmed ? `.${trimmed}` : ''}Z`;
}

export type ReconcileMode = 'plain' | 'force' | 'reset';

export function reconcilePatch(timestamp: string, mode: ReconcileMode = 'plain'): object {
  const annotations: Record<string, string> = { [REQUESTED_AT]: timestamp };
  if (mode === 'force') annotations[FORCE_AT] = timestamp;
  if (mode === 'reset') annotations[RESET_AT] = timestamp;
  return { metadata: { annotations } };
}

export function suspendPatch(suspend: boolean): object {
  return { spec: { suspend } };
}
