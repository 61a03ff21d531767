/**
 * Waiting for the outcome of a reconcile or resume, as the flux CLI does, but driven by watch
 * events instead of polling: first the controller must have handled the request (a new
 * `status.lastHandledReconcileAt`, or the new generation observed), then the object must settle
 * (Ready observed for this generation, nothing reconciling). Ready=True is success; otherwise the
 * Ready (or Stalled) message is the failure. The clock is passed in.
 */
import type { Clock } from '../connection/clock';
import { condition, generationSettled, reconcilingNow, type KubeObject, type ObservedObject } from '../connection/objects';

export type WaitResult = 'ready' | 'failed' | 'timeout' | 'cancelled' | 'deleted';

export interface Outcome {
  readonly result: WaitResult;
  readonly message: string;
}

export interface Cancellation {
  readonly cancelled: boolean;
  onCancel(listener: () => void): void;
}

export function lastHandledReconcileAt(obj: KubeObject | undefined): string | undefined {
  const v = obj?.status?.['lastHandledReconcileAt'];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The controller handled a request: `lastHandledReconcileAt` moved on from `before` (its value in
 * the PATCH response). With `requestedAt` (the value we wrote), a state counts only when it carries
 * our request or a later one: a cached copy older than the PATCH may still show an earlier request.
 */
export const handledSince = (before: string | undefined, requestedAt?: string) => (obj: KubeObject) => {
  const now = lastHandledReconcileAt(obj);
  if (now === undefined || now === before) return false;
  if (requestedAt === undefined || now === requestedAt) return true;
  const [nowMs, requestedMs] = [Date.parse(now), Date.parse(requestedAt)];
  // Values that are not timestamps (any string triggers a reconcile) cannot be ordered: accept them.
  return Number.isNaN(nowMs) || Number.isNaN(requestedMs) || nowMs >= requestedMs;
};

/** The source revision a Kustomization last attempted to apply. */
export function lastAttemptedRevision(obj: KubeObject | undefined): string | undefined {
  const v = obj?.status?.['lastAttemptedRevision'];
  return typeof v === 'string' ? v : undefined;
}

export const generationObserved = (atLeast: number) => (obj: KubeObject) => (obj.metadata.generation ?? 0) >= atLeast && generationSettled(obj);

/** Settled outcome of an object, or undefined while it is still in progress. */
export function settledOutcome(obj: KubeObject): Outcome | undefined {
  const stalled = condition(obj, 'Stalled');
  if (stalled?.status === 'True') return { result: 'failed', message: stalled.message ?? stalled.reason ?? 'stalled' };
  if (reconcilingNow(obj)) return undefined;
  const ready = condition(obj, 'Ready');
  if (!ready || ready.status === 'Unknown') return undefined;
  if (!generationSettled(obj)) return undefined;
  const message = ready.message ?? ready.reason ?? '';
  return { result: ready.status === 'True' ? 'ready' : 'failed', message };
}

export function waitForOutcome(
  target: ObservedObject,
  handled: (obj: KubeObject) => boolean,
  clock: Clock,
  timeoutMs: number,
  cancellation?: Cancellation,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let seenHandled = false;
    let done = false;
    const finish = (outcome: Outcome) => {
      if (done) return;
      done = true;
      unsubscribe();
      clock.clearTimeout(timer);
      resolve(outcome);
    };
    const check = (obj: KubeObject | undefined) => {
      if (!obj) return finish({ result: 'deleted', message: 'the object was deleted' });
      seenHandled ||= handled(obj);
      if (!seenHandled) return;
      const outcome = settledOutcome(obj);
      if (outcome) finish(outcome);
    };
    const unsubscribe = target.onChange(check);
    const timer = clock.setTimeout(
      () =>
        finish({
          result: 'timeout',
          message: seenHandled ? 'the controller handled the request but the object did not become ready in time' : 'the controller did not handle the request in time',
        }),
      timeoutMs,
    );
    cancellation?.onCancel(() => finish({ result: 'cancelled', message: 'cancelled' }));
    if (cancellation?.cancelled) finish({ result: 'cancelled', message: 'cancelled' });
    else check(target.current());
  });
}
