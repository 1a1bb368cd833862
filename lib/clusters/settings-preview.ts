import "server-only";
import type { OverlayObject } from "@/lib/arc/overlay";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import { settingsChangeFor, type ObjectChange } from "@/lib/arc/settings-change";
import { db } from "@/lib/db";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import { loadClusterSettings } from "./cluster-settings";

// Before an admin saves new cluster settings: which live scale sets would change, and how.
// Saving changes nothing on the cluster; each scale set keeps the settings it was applied
// with (RunnerRequest.appliedSettings) until a reviewer re-applies it.

export type ScaleSetPreview = {
  requestId: string;
  number: number;
  label: string;
  namespace: string;
  objects: ObjectChange[];
};

/** The settings a live scale set was applied with; the cluster's current ones for rows from before they were recorded. */
export function appliedSettingsOf(row: { appliedSettings: unknown }, current: ClusterSettings): ClusterSettings {
  const parsed = clusterSettingsSchema.safeParse(row.appliedSettings);
  return parsed.success ? parsed.data : current;
}

/** Every live scale set of the cluster whose objects the new settings would change, with the changes. */
export async function previewSettingsChange(clusterId: string, next: ClusterSettings): Promise<ScaleSetPreview[]> {
  const current = await loadClusterSettings(clusterId);
  const live = await db.runnerRequest.findMany({
    where: { clusterId, status: "READY", approvedSpec: { not: undefined } },
    orderBy: { number: "asc" },
    select: { id: true, number: true, label: true, namespace: true, approvedSpec: true, advanced: true, appliedSettings: true },
  });
  const previews: ScaleSetPreview[] = [];
  for (const row of live) {
    if (!row.approvedSpec) continue;
    const { githubApp: _credentials, ...spec } = row.approvedSpec as unknown as StoredSpec;
    const advanced = (row.advanced ?? null) as OverlayObject | null;
    const objects = settingsChangeFor(spec, advanced, appliedSettingsOf(row, current), next);
    if (objects.length > 0) {
      previews.push({ requestId: row.id, number: row.number, label: row.label, namespace: row.namespace, objects });
    }
  }
  return previews;
}
