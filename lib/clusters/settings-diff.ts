import type { ClusterSettings } from "@/lib/arc/settings";

// Which settings fields differ between two versions of a cluster's settings, as the
// history and the preview show them: one row per field, before → after, in words a
// person reads (maps and lists as compact JSON).

export type SettingsFieldChange = { path: string; before: string | null; after: string };

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  // One row per GPU class, by name, so that adding one class does not show every class as changed.
  if (prefix === "gpuClasses" && Array.isArray(value)) {
    for (const c of value as { name: string }[]) {
      const { name, ...placement } = c;
      out.set(`gpuClasses.${name}`, JSON.stringify(placement));
    }
    return;
  }
  // Other maps and lists are compared whole.
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return;
  }
  out.set(prefix, typeof value === "string" ? value : JSON.stringify(value));
}

/** Fields of `after` that differ from `before`; every field when `before` is null (the first save). */
export function settingsFieldChanges(before: ClusterSettings | null, after: ClusterSettings): SettingsFieldChange[] {
  const was = new Map<string, string>();
  const now = new Map<string, string>();
  if (before) flatten(before, "", was);
  flatten(after, "", now);
  const changes: SettingsFieldChange[] = [];
  for (const [path, value] of now) {
    const previous = was.get(path) ?? null;
    if (previous !== value) changes.push({ path, before: previous, after: value });
  }
  for (const [path, value] of was) {
    if (!now.has(path)) changes.push({ path, before: value, after: "(removed)" });
  }
  return changes;
}
