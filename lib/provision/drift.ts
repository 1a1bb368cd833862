import type { DriftDifference } from "./types";

// Drift: fields the portal applied whose live value is no longer the approved one. Only
// what the rendering core sets is compared; fields the API server defaults or the ARC
// controller adds (its annotations, finalizers, status) are not drift.

const MAX_DIFFERENCES = 20;

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

function walk(approved: unknown, live: unknown, path: string, out: DriftDifference[]) {
  if (out.length >= MAX_DIFFERENCES) return;
  if (isPlainObject(approved)) {
    if (!isPlainObject(live)) return void out.push({ path, approved, live: live ?? null });
    for (const [key, value] of Object.entries(approved)) walk(value, live[key], `${path}.${key}`, out);
    return;
  }
  if (Array.isArray(approved)) {
    if (!Array.isArray(live) || live.length !== approved.length) return void out.push({ path, approved, live: live ?? null });
    approved.forEach((value, i) => walk(value, live[i], `${path}[${i}]`, out));
    return;
  }
  if (approved !== live) out.push({ path, approved, live: live ?? null });
}

/** Where `live` differs from `approved` in the fields `approved` sets (`paths` picks the parts compared). */
export function driftBetween(approved: Record<string, unknown>, live: Record<string, unknown>, paths: string[]): DriftDifference[] {
  const out: DriftDifference[] = [];
  for (const path of paths) {
    const pick = (obj: Record<string, unknown>) => path.split(".").reduce<unknown>((v, k) => (isPlainObject(v) ? v[k] : undefined), obj);
    const a = pick(approved);
    if (a !== undefined) walk(a, pick(live), path, out);
  }
  return out;
}

type ManagedFields = { manager?: string; operation?: string; fieldsV1?: unknown }[] | undefined;

/** Field managers besides `self` that have written anything under spec: who edited it by hand. */
export function otherSpecEditors(managedFields: ManagedFields, self: string): string[] {
  const names = (managedFields ?? [])
    .filter((m) => m.manager && m.manager !== self && isPlainObject(m.fieldsV1) && "f:spec" in m.fieldsV1)
    .map((m) => m.manager!);
  return [...new Set(names)];
}
