import "server-only";
import { z } from "zod";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { badRequest, issuesByField, notFoundError } from "@/lib/http-errors";
import { clusterSettingsHistory, loadClusterSettings, parseClusterSettings, saveClusterSettings, settingsOf } from "./cluster-settings";
import { environmentSettings } from "./settings";
import { settingsFieldChanges, type SettingsFieldChange } from "./settings-diff";
import { refuseRemovingClassesInUse } from "./settings-classes-in-use";
import { previewSettingsChange, type ScaleSetPreview } from "./settings-preview";

// What the admin settings page and its API read and write: the settings with their version,
// their audited history as field changes, the preview of a change and the save. Saving
// changes nothing on the cluster; the answer names the scale sets a reviewer must re-apply.

/** `fromEnvironment`: the event recorded no "before" (registration, or the first save), so it is compared with the ARC_* environment's settings. */
export type HistoryEntry = { id: string; at: string; by: string | null; fromEnvironment: boolean; changes: SettingsFieldChange[] };

export type SettingsView = {
  settings: ClusterSettings;
  version: number;
  /** True while the cluster has never saved settings of its own (the ARC_* environment's apply). */
  usesEnvironment: boolean;
  history: HistoryEntry[];
};

export async function settingsView(clusterId: string): Promise<SettingsView> {
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { name: true, settings: true, settingsVersion: true } });
  if (!cluster) throw notFoundError("That cluster is not registered.");
  const events = await clusterSettingsHistory(clusterId);
  const parse = (v: unknown) => {
    const parsed = clusterSettingsSchema.safeParse(v);
    return parsed.success ? parsed.data : null;
  };
  const history: HistoryEntry[] = [];
  for (const e of events) {
    const after = parse(e.after);
    if (!after) continue;
    const before = parse(e.before);
    history.push({
      id: e.id,
      at: e.createdAt.toISOString(),
      by: e.actor?.login ?? null,
      fromEnvironment: before === null,
      changes: settingsFieldChanges(before ?? environmentSettings(), after),
    });
  }
  return { settings: settingsOf(cluster), version: cluster.settingsVersion, usesEnvironment: cluster.settings === null, history };
}

const previewBody = z.object({ settings: z.unknown() }, { error: "Send an object with the settings" });
const saveBody = z.object(
  {
    settings: z.unknown(),
    version: z.number({ error: "version must be the settings version the form was loaded with" }).int("version must be a whole number"),
  },
  { error: "Send an object with the settings and their version" },
);

function shape<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw badRequest("The request body has the wrong shape.", issuesByField(parsed.error.issues, "body"));
  return parsed.data;
}

export type SettingsPreview = { fields: SettingsFieldChange[]; scaleSets: ScaleSetPreview[] };

/** What saving these settings would change: fields, and each live scale set's objects. Writes nothing. */
export async function previewSettings(clusterId: string, body: unknown): Promise<SettingsPreview> {
  const { settings: raw } = shape(previewBody, body);
  const current = await loadClusterSettings(clusterId);
  const next = parseClusterSettings(raw);
  await refuseRemovingClassesInUse(clusterId, next);
  return { fields: settingsFieldChanges(current, next), scaleSets: await previewSettingsChange(clusterId, next) };
}

export type SaveResult = { version: number; changed: boolean; pending: ScaleSetPreview[] };

/** Saves (audited); `pending` are the scale sets that keep their old settings until a reviewer re-applies them. */
export async function saveSettings(actor: Pick<Actor, "id">, clusterId: string, body: unknown): Promise<SaveResult> {
  const { settings: raw, version } = shape(saveBody, body);
  const next = parseClusterSettings(raw);
  await refuseRemovingClassesInUse(clusterId, next);
  // Before the save: rows applied before appliedSettings was recorded compare with the old settings.
  const pending = await previewSettingsChange(clusterId, next);
  const saved = await saveClusterSettings(actor, clusterId, next, version);
  return { version: saved.version, changed: saved.changed, pending: saved.changed ? pending : [] };
}
