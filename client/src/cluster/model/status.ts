/**
 * Status summary of a Flux object: kstatus (the rules Flux's own tooling uses) and the state the
 * tree shows. In-progress is never shown as failure: only a settled Ready=False or Stalled=True is.
 */
import { condition, conditionsOf, generationSettled, isSuspended, reconcilingNow, type KubeObject } from '../connection/objects';

export type KStatus = 'Terminating' | 'InProgress' | 'Failed' | 'Current';

export type DisplayState = 'ready' | 'reconciling' | 'failed' | 'stalled' | 'suspended' | 'unknown' | 'terminating';

export interface StatusSummary {
  readonly state: DisplayState;
  readonly kstatus: KStatus;
  /** The reason and message of the condition that decided the state (Ready, Stalled or Reconciling). */
  readonly reason?: string;
  readonly message?: string;
}

function observedGeneration(obj: KubeObject): number | undefined {
  const g = obj.status?.['observedGeneration'];
  return typeof g === 'number' ? g : undefined;
}

/** kstatus, in the order of its rules; observedGeneration is compared only when the status has one. */
export function kstatus(obj: KubeObject): KStatus {
  if (obj.metadata.deletionTimestamp) return 'Terminating';
  const observed = observedGeneration(obj);
  if (observed !== undefined && obj.metadata.generation !== undefined && observed !== obj.metadata.generation) {
    return 'InProgress';
  }
  if (condition(obj, 'Reconciling')?.status === 'True') return 'InProgress';
  if (condition(obj, 'Stalled')?.status === 'True') return 'Failed';
  const ready = condition(obj, 'Ready');
  if (ready) return ready.status === 'True' ? 'Current' : 'InProgress';
  return 'Current';
}

/**
 * Ready=False that only means "waiting for something else": kustomize-controller and
 * helm-controller requeue with these while a dependency or the source's first artifact is not
 * there yet (DependencyNotReady; ArtifactFailed "Source artifact not found, retrying in 30s" or
 * "Source '<kind>/<ns>/<name>' not found"). Shown as in progress, not as a failure.
 */
function waitingForDependency(reason: string | undefined, message: string | undefined): boolean {
  if (reason === 'DependencyNotReady') return true;
  return reason === 'ArtifactFailed' && /^Source (artifact not found|'[^']*' not found)/.test(message ?? '');
}

export const NO_CONTROLLER_STATUS = 'No controller has reported a status yet.';

/**
 * True when no controller has ever written the status: no conditions and no observedGeneration
 * other than -1, the default the Flux CRDs give status when the object is created. kstatus calls
 * that InProgress (generation 1 is not -1), which would spin forever when the controller is absent.
 */
function neverReported(obj: KubeObject): boolean {
  const observed = observedGeneration(obj);
  return conditionsOf(obj).length === 0 && (observed === undefined || observed === -1);
}

/**
 * What the tree shows. `statusless` kinds (Alert, Provider) have no conditions by design and are
 * ready when they exist; any other kind whose status no controller has written is unknown (a
 * freshly created object looks the same for a moment: unknown is still the honest answer).
 */
export function summarize(obj: KubeObject, statusless = false): StatusSummary {
  const k = kstatus(obj);
  const ready = condition(obj, 'Ready');
  const detail = (c: { reason?: string; message?: string } | undefined) => ({ reason: c?.reason, message: c?.message });
  if (k === 'Terminating') return { state: 'terminating', kstatus: k, ...detail(ready) };
  if (isSuspended(obj)) return { state: 'suspended', kstatus: k, ...detail(ready) };
  if (neverReported(obj)) return { state: statusless ? 'ready' : 'unknown', kstatus: k, ...(statusless ? {} : { message: NO_CONTROLLER_STATUS }) };
  if (k === 'Failed') return { state: 'stalled', kstatus: k, ...detail(condition(obj, 'Stalled')) };
  if (k === 'InProgress') {
    // Ready=False with nothing in flight, for this generation, is the outcome of the last attempt: a failure.
    if (ready?.status === 'False' && !reconcilingNow(obj) && generationSettled(obj) && !waitingForDependency(ready.reason, ready.message)) {
      return { state: 'failed', kstatus: k, ...detail(ready) };
    }
    return { state: 'reconciling', kstatus: k, ...detail(reconcilingNow(obj) ? condition(obj, 'Reconciling') : ready) };
  }
  if (ready?.status === 'True') return { state: 'ready', kstatus: k, ...detail(ready) };
  return { state: statusless ? 'ready' : 'unknown', kstatus: k };
}
