/** Kubernetes label selectors (matchLabels, matchExpressions) applied to an object's labels. */

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, unknown>>;
  readonly matchExpressions?: readonly { readonly key?: unknown; readonly operator?: unknown; readonly values?: unknown }[];
}

/** Whether `labels` satisfy the selector; an empty or absent selector selects everything. */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, unknown>>): boolean {
  if (!selector) return true;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const e of selector.matchExpressions ?? []) {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    const has = Object.hasOwn(labels, key);
    const value = has ? String(labels[key]) : undefined;
    switch (e.operator) {
      case 'In':
        if (value === undefined || !values.includes(value)) return false;
        break;
      case 'NotIn':
        if (value !== undefined && values.includes(value)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}
