import "server-only";
import { settingsOf } from "@/lib/clusters/cluster-settings";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { limitsOn } from "@/lib/clusters/settings";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { badRequest, conflict } from "@/lib/http-errors";
import { preferredClusterSchema } from "./schema";

// Which cluster a request targets. The requester may state a preference (preferredClusterId);
// the request targets that cluster until a reviewer approves it onto one (clusterId). The label
// is unique per cluster, so moving a request moves its label claim in the same transaction.

export type ClusterRow = { id: string; name: string; displayName: string; settings: Prisma.JsonValue | null };

const CLUSTER_SELECT = { id: true, name: true, displayName: true, settings: true } as const;

type Reader = Pick<Prisma.TransactionClient, "cluster">;

/** A registered cluster by id, or a 400 naming `field`. */
export async function registeredCluster(id: string, field: string, client: Reader = db): Promise<ClusterRow> {
  const row = await client.cluster.findUnique({ where: { id }, select: CLUSTER_SELECT });
  if (!row) throw badRequest("That cluster is not registered.", { [field]: ["That cluster is not registered; choose one from the list"] });
  return row;
}

/**
 * The requester's preference in a form body: undefined when the body does not mention it
 * (an edit leaves it as it was), null for "no preference", else the registered cluster.
 */
export async function preferredClusterOf(body: unknown): Promise<ClusterRow | null | undefined> {
  if (typeof body !== "object" || body === null || !("preferredClusterId" in body)) return undefined;
  const parsed = preferredClusterSchema.safeParse((body as { preferredClusterId: unknown }).preferredClusterId);
  if (!parsed.success) {
    throw badRequest("The cluster is not valid.", { preferredClusterId: parsed.error.issues.map((i) => i.message) });
  }
  if (!parsed.data) return parsed.data === null ? null : undefined;
  return registeredCluster(parsed.data, "preferredClusterId");
}

export function clusterName(c: Pick<ClusterRow, "name" | "displayName">): string {
  return c.displayName && c.displayName !== c.name ? `${c.displayName} (${c.name})` : c.name;
}

/**
 * Moves the request's label claim to another cluster, or refuses with a 409 when another
 * request holds the label there. Runs in the caller's transaction: a refusal changes nothing.
 */
export async function moveLabelClaim(tx: Prisma.TransactionClient, requestId: string, label: string, to: Pick<ClusterRow, "id" | "name" | "displayName">) {
  const holder = await tx.labelClaim.findUnique({ where: { clusterId_label: { clusterId: to.id, label } }, include: { request: { select: { number: true } } } });
  if (holder && holder.requestId !== requestId) {
    throw conflict(`Runner label "${label}" is already used on cluster ${clusterName(to)} (request #${holder.request.number}); choose another cluster, or ask the team for another label.`, {
      clusterId: [`Runner label "${label}" is taken on ${clusterName(to)}`],
    });
  }
  await tx.labelClaim.deleteMany({ where: { requestId, NOT: { clusterId: to.id, label } } });
  if (!holder) {
    try {
      await tx.labelClaim.create({ data: { clusterId: to.id, label, requestId } });
    } catch (err) {
      // Another request claimed it between the look and the write.
      if ((err as { code?: string }).code === "P2002") throw conflict(`Runner label "${label}" was just taken on cluster ${clusterName(to)}; choose another cluster.`);
      throw err;
    }
  }
}

/** The clusters a requester may prefer, each with the settings and limits its preview and checks use. */
export async function clusterChoicesForForm() {
  const fallback = await defaultCluster();
  const rows = await db.cluster.findMany({ orderBy: { name: "asc" }, select: CLUSTER_SELECT });
  const choices = rows.flatMap((c) => {
    try {
      const settings = settingsOf(c);
      return [{ id: c.id, name: c.name, displayName: c.displayName, settings, limits: limitsOn(settings) }];
    } catch {
      // A cluster whose stored settings no longer validate cannot be offered (the admin page says why).
      return [];
    }
  });
  return { choices, defaultClusterId: fallback.id };
}
