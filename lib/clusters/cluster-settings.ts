import "server-only";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, issuesByField, notFoundError, unprocessable, type FieldErrors } from "@/lib/http-errors";
import { environmentSettings } from "./settings";

// A cluster's settings live in the database, one row per cluster, and every change is kept
// in the append-only ClusterSettingsEvent table. A cluster whose settings were never saved
// uses the ARC_* environment's (how the single default cluster was configured before).

/** The stored settings, or the environment's when none are stored; a stored value that no longer validates is an error. */
export function settingsOf(cluster: { name: string; settings: Prisma.JsonValue | null }): ClusterSettings {
  if (cluster.settings === null) return environmentSettings();
  const parsed = clusterSettingsSchema.safeParse(cluster.settings);
  if (!parsed.success) {
    throw new Error(`Cluster ${cluster.name} has invalid stored settings: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  return parsed.data;
}

export async function loadClusterSettings(clusterId: string): Promise<ClusterSettings> {
  return registeredSettings(await db.cluster.findUnique({ where: { id: clusterId }, select: { name: true, settings: true } }));
}

/** settingsOf for a cluster row already read; a 404 when there was none. */
export function registeredSettings(cluster: { name: string; settings: Prisma.JsonValue | null } | null): ClusterSettings {
  if (!cluster) throw notFoundError("That cluster is not registered.");
  return settingsOf(cluster);
}

/** Validates settings as the admin form sends them; throws 422 naming each bad field. */
export function parseClusterSettings(input: unknown): ClusterSettings {
  const parsed = clusterSettingsSchema.safeParse(input);
  if (!parsed.success) throw unprocessable("Some settings are not valid; see each field.", issuesByField(parsed.error.issues, "settings"));
  return parsed.data;
}

/**
 * Saves new settings and records before/after. `expectedVersion` is the settingsVersion the
 * admin's form was loaded with: a concurrent save makes this one fail instead of overwriting it.
 * Live scale sets keep the settings they were applied with until a reviewer re-applies them.
 */
export async function saveClusterSettings(
  actor: Pick<Actor, "id">,
  clusterId: string,
  input: unknown,
  expectedVersion: number,
): Promise<{ settings: ClusterSettings; version: number; changed: boolean }> {
  const settings = parseClusterSettings(input);
  return db.$transaction(async (tx) => {
    const cluster = await tx.cluster.findUnique({ where: { id: clusterId }, select: { name: true, settings: true, settingsVersion: true } });
    if (!cluster) throw notFoundError("That cluster is not registered.");
    if (cluster.settingsVersion !== expectedVersion) {
      throw conflict("Someone else changed this cluster's settings since you opened them; reload to see their change.");
    }
    const before = settingsOf(cluster);
    if (cluster.settings !== null && JSON.stringify(before) === JSON.stringify(settings)) {
      return { settings, version: cluster.settingsVersion, changed: false };
    }
    const updated = await tx.cluster.updateMany({
      where: { id: clusterId, settingsVersion: expectedVersion },
      data: { settings: settings as unknown as Prisma.InputJsonValue, settingsVersion: { increment: 1 } },
    });
    if (updated.count !== 1) throw conflict("Someone else changed this cluster's settings at the same moment; reload and try again.");
    await tx.clusterSettingsEvent.create({
      data: {
        clusterId,
        actorId: actor.id,
        before: (cluster.settings === null ? undefined : (before as unknown as Prisma.InputJsonValue)),
        after: settings as unknown as Prisma.InputJsonValue,
      },
    });
    return { settings, version: expectedVersion + 1, changed: true };
  });
}

/** The settings history of a cluster, newest first. */
export async function clusterSettingsHistory(clusterId: string) {
  return db.clusterSettingsEvent.findMany({
    where: { clusterId },
    orderBy: { createdAt: "desc" },
    include: { actor: { select: { login: true } } },
  });
}
