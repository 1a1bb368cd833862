import "server-only";
import type { OverlayObject } from "@/lib/arc/overlay";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import { loadClusterSettings } from "./cluster-settings";

// The settings a request's scale set is rendered with: those it was last applied with
// (RunnerRequest.appliedSettings), so that an admin's settings change alters nothing on the
// cluster until a reviewer re-applies; the cluster's current settings for a request that was
// never applied (or a row from before appliedSettings was recorded).

export type RenderSource = { clusterId: string; appliedSettings?: unknown; advanced?: unknown };

/** The stored appliedSettings when they validate, else the cluster's current settings. */
export async function settingsForRequest(r: RenderSource): Promise<ClusterSettings> {
  return appliedSettingsOf(r) ?? loadClusterSettings(r.clusterId);
}

/** The stored appliedSettings when they validate; null when the cluster's current settings apply. */
export function appliedSettingsOf(r: Pick<RenderSource, "appliedSettings">): ClusterSettings | null {
  if (r.appliedSettings === null || r.appliedSettings === undefined) return null;
  const parsed = clusterSettingsSchema.safeParse(r.appliedSettings);
  return parsed.success ? parsed.data : null;
}

/** The request's "advanced" pod-template overlay (an imported scale set), or null. */
export function advancedOf(r: { advanced?: unknown }): OverlayObject | null {
  const a = r.advanced;
  return a && typeof a === "object" && !Array.isArray(a) ? (a as OverlayObject) : null;
}
