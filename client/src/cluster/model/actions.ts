/**
 * Reconcile (plain, force, reset, with source), suspend and resume: the flux CLI's merge patches,
 * then a wait on the session's watch for the controller's outcome. The clock is passed in.
 */
import type { Clock } from '../connection/clock';
import type { ContextSession } from '../connection/contextSession';
import { groupOf } from '../connection/fluxKinds';
import { isSuspended, type KubeObject, type ObservedObject } from '../connection/objects';
import { MERGE_PATCH, reconcilePatch, rfc3339Nano, suspendPatch, type ReconcileMode } from './patches';
import { resourcePath, ResourceWatch } from '../connection/resourceWatch';
import { sourceOf } from './sourceOf';
import { generationObserved, handledSince, lastAttemptedRevision, lastHandledReconcileAt, waitForOutcome, type Cancellation, type Outcome } from './wait';

export interface ActionTarget {
  readonly kind: string;
  readonly group: string;
  readonly namespace: string | undefined;
  readonly name: string;
}

export interface ActionOptions {
  readonly clock: Clock;
  readonly timeoutMs: number;
  readonly cancellation?: Cancellation;
  /** Progress messages ("waiting for GitRepository flux-system/podinfo"...). */
  readonly report?: (message: string) => void;
}

export function targetOf(obj: KubeObject): ActionTarget {
  return { kind: obj.kind, group: groupOf(obj.apiVersion), namespace: obj.metadata.namespace, name: obj.metadata.name };
}

function describe(t: ActionTarget): string {
  return `${t.kind} ${t.namespace ? `${t.namespace}/` : ''}${t.name}`;
}

async function patch(session: ContextSession, target: ActionTarget, body: object): Promise<KubeObject> {
  const type = session.typeOf(target.kind, target.group);
  if (!type) throw new Error(`${target.kind} is not served by context ${session.context}`);
  return session.api.request<KubeObject>('PATCH', resourcePath(type, target.namespace, target.name), { body, contentType: MERGE_PATCH });
}

/** Follows the object through the session's watch, or a watch of its namespace when the tree does not show it. */
async function observe(session: ContextSession, target: ActionTarget, clock: Clock): Promise<{ observed: ObservedObject; dispose: () => void }> {
  if (session.get(target.kind, target.namespace, target.name)) {
    return { observed: session.observe(target.kind, target.namespace, target.name), dispose: () => undefined };
  }
  const type = session.typeOf(target.kind, target.group);
  if (!type) throw new Error(`${target.kind} is not served by context ${session.context}`);
  const watch = new ResourceWatch(session.api, type, target.namespace, clock);
  const key = `${target.namespace ?? ''}/${target.name}`;
  watch.start();
  return {
    observed: {
      current: () => watch.objects.get(key),
      onChange: (listener) => watch.changed.on((c) => (c.relisted || c.keys.includes(key)) && listener(watch.objects.get(key))),
    },
    dispose: () => watch.stop(),
  };
}

async function waitAfter(session: ContextSession, target: ActionTarget, handled: (obj: KubeObject) => boolean, options: ActionOptions): Promise<Outcome> {
  const { observed, dispose } = await observe(session, target, options.clock);
  try {
    options.report?.(`waiting for ${describe(target)}`);
    return await waitForOutcome(observed, handled, options.clock, options.timeoutMs, options.cancellation);
  } finally {
    dispose();
  }
}

export async function reconcile(session: ContextSession, obj: KubeObject, mode: ReconcileMode, withSource: boolean, options: ActionOptions): Promise<Outcome> {
  if (isSuspended(obj)) return { result: 'failed', message: `${describe(targetOf(obj))} is suspended; resume it first` };
  if (withSource) {
    const source = sourceOf(obj);
    if (source) {
      const live = session.get(source.kind, source.namespace, source.name);
      const sourceOutcome = live
        ? await reconcile(session, live, 'plain', false, options)
        : await reconcileTarget(session, { ...source }, 'plain', options);
      if (sourceOutcome.result !== 'ready') return { ...sourceOutcome, message: `source ${source.kind} ${source.namespace}/${source.name}: ${sourceOutcome.message}` };
      // kustomize-controller may handle our request before its cache has the source's new artifact,
      // apply the old one and report Ready, then apply the new one on its source watch: wait for that.
      const revision = obj.kind === 'Kustomization' ? artifactRevision(session.get(source.kind, source.namespace, source.name)) : undefined;
      return reconcileTarget(session, targetOf(obj), mode, options, revision);
    }
  }
  return reconcileTarget(session, targetOf(obj), mode, options);
}

function artifactRevision(obj: KubeObject | undefined): string | undefined {
  const artifact = obj?.status?.['artifact'] as { revision?: unknown } | undefined;
  return typeof artifact?.revision === 'string' ? artifact.revision : undefined;
}

async function reconcileTarget(session: ContextSession, target: ActionTarget, mode: ReconcileMode, options: ActionOptions, sourceRevision?: string): Promise<Outcome> {
  options.report?.(`annotating ${describe(target)}`);
  const requestedAt = rfc3339Nano(options.clock.now());
  const patched = await patch(session, target, reconcilePatch(requestedAt, mode));
  const handled = handledSince(lastHandledReconcileAt(patched), requestedAt);
  const attempted = sourceRevision === undefined ? handled : (o: KubeObject) => handled(o) && lastAttemptedRevision(o) === sourceRevision;
  return waitAfter(session, target, attempted, options);
}

export async function suspend(session: ContextSession, obj: KubeObject): Promise<Outcome> {
  await patch(session, targetOf(obj), suspendPatch(true));
  return { result: 'ready', message: `${describe(targetOf(obj))} suspended` };
}

export async function resume(session: ContextSession, obj: KubeObject, options: ActionOptions): Promise<Outcome> {
  const target = targetOf(obj);
  const patched = await patch(session, target, suspendPatch(false));
  return waitAfter(session, target, generationObserved(patched.metadata.generation ?? 0), options);
}
