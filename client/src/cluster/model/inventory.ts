/**
 * Kustomization inventory ids: `<namespace>_<name>_<group>_<kind>`. The first `_` ends the namespace
 * (namespaces cannot contain `_`), the last starts the kind, the one before it starts the group;
 * `__` inside the name stands for `:`. Cluster-scoped objects have an empty namespace and the core
 * group is empty.
 */
export interface InventoryEntry {
  readonly namespace: string;
  readonly name: string;
  readonly group: string;
  readonly kind: string;
  readonly version: string;
}

export function parseInventoryId(id: string, version = ''): InventoryEntry | undefined {
  const first = id.indexOf('_');
  const last = id.lastIndexOf('_');
  if (first < 0 || last <= first) return undefined;
  const groupStart = id.lastIndexOf('_', last - 1);
  if (groupStart <= first) return undefined;
  const name = id.slice(first + 1, groupStart).replaceAll('__', ':');
  const kind = id.slice(last + 1);
  if (!name || !kind) return undefined;
  return { namespace: id.slice(0, first), name, group: id.slice(groupStart + 1, last), kind, version };
}

/** The entries of `status.inventory`, skipping ids that do not parse. */
export function inventoryOf(status: Readonly<Record<string, unknown>> | undefined): InventoryEntry[] {
  const entries = (status?.['inventory'] as { entries?: unknown } | undefined)?.entries;
  if (!Array.isArray(entries)) return [];
  const parsed: InventoryEntry[] = [];
  for (const e of entries as { id?: unknown; v?: unknown }[]) {
    if (typeof e?.id !== 'string') continue;
    const entry = parseInventoryId(e.id, typeof e.v === 'string' ? e.v : '');
    if (entry) parsed.push(entry);
  }
  return parsed;
}

export function apiVersionOf(entry: InventoryEntry): string {
  return entry.group ? `${entry.group}/${entry.version}` : entry.version;
}
