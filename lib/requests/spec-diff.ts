import type { StoredSpec } from "./stored-spec";

export type SpecChanges = Record<string, { before: unknown; after: unknown }>;

const flatten = (spec: Partial<StoredSpec> | null | undefined): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec ?? {})) {
    if (k === "githubApp" && v && typeof v === "object") {
      for (const [ak, av] of Object.entries(v)) out[`githubApp.${ak}`] = av;
    } else out[k] = v;
  }
  return out;
};

/** Field-by-field differences between two versions of the answers (never holds a key, only fingerprints). */
export function diffSpecs(before: Partial<StoredSpec> | null | undefined, after: Partial<StoredSpec> | null | undefined): SpecChanges {
  const a = flatten(before);
  const b = flatten(after);
  const changes: SpecChanges = {};
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) changes[key] = { before: a[key] ?? null, after: b[key] ?? null };
  }
  return changes;
}
