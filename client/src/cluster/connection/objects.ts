/** The slice of a Kubernetes object the cluster features read. Everything else is passed through. */
export interface KubeCondition {
  readonly type: string;
  readonly status: 'True' | 'False' | 'Unknown' | string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionTime?: string;
  readonly observedGeneration?: number;
}

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly generation?: number;
    readonly resourceVersion?: string;
    readonly creationTimestamp?: string;
    readonly deletionTimestamp?: string;
    readonly annotations?: Readonly<Record<string, string>>;
    readonly labels?: Readonly<Record<string, string>>;
    readonly [key: string]: unknown;
  };
  readonly spec?: Readonly<Record<string, unknown>>;
  readonly status?: Readonly<Record<string, unknown>>;
  readonly [key: string]: unknown;
}

/** Where a live object is: its context, kind, namespace (none for cluster-scoped objects) and name. */
export interface ObjectRef {
  readonly context: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

/** One object followed through a watch (a session's, or one opened for it). */
export interface ObservedObject {
  current(): KubeObject | undefined;
  /** Calls back on every change of the object (undefined when deleted); returns an unsubscribe. */
  onChange(listener: (obj: KubeObject | undefined) => void): () => void;
}

export function conditionsOf(obj: KubeObject): readonly KubeCondition[] {
  const conditions = obj.status?.['conditions'];
  return Array.isArray(conditions) ? (conditions as KubeCondition[]) : [];
}

export function condition(obj: KubeObject, type: string): KubeCondition | undefined {
  return conditionsOf(obj).find((c) => c.type === type);
}

/** A string field at a dotted path under the object, or undefined. */
export function stringAt(obj: unknown, path: readonly string[]): string | undefined {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'string' ? cur : undefined;
}

export function isSuspended(obj: KubeObject): boolean {
  return obj.spec?.['suspend'] === true;
}

/**
 * Reconciling=True means work in flight, except with reason ProgressingWithRetry: Flux keeps that
 * after a failed attempt that it will retry later, while Ready=False carries the failure.
 */
export function reconcilingNow(obj: KubeObject): boolean {
  const c = condition(obj, 'Reconciling');
  return c?.status === 'True' && c.reason !== 'ProgressingWithRetry';
}

/**
 * True when the controller has acted on the object's current generation: Ready's observedGeneration
 * (when present) equals metadata.generation, and so does status.observedGeneration unless it is -1,
 * which Flux keeps until a first success. Both are checked because a controller may write its
 * conditions and its other status fields in two updates.
 */
export function generationSettled(obj: KubeObject): boolean {
  const generation = obj.metadata.generation;
  if (generation === undefined) return true;
  const fromStatus = obj.status?.['observedGeneration'];
  const fromReady = condition(obj, 'Ready')?.observedGeneration;
  const statusOk = typeof fromStatus !== 'number' || fromStatus === generation || fromStatus === -1;
  return statusOk && (typeof fromReady !== 'number' || fromReady === generation);
}
