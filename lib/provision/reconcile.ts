import "server-only";
import { db } from "@/lib/db";

/**
 * Requests on a cluster that should have a provisioning job: approved but not started, or
 * started by a worker that died after its retries ran out. Enqueueing one that already has
 * a job is a no-op (the queue allows one per request), so this can run on every replica.
 */
export async function requestsAwaitingProvisioning(clusterId: string): Promise<string[]> {
  const rows = await db.runnerRequest.findMany({
    where: { clusterId, status: { in: ["APPROVED", "PROVISIONING"] } },
    orderBy: { updatedAt: "asc" },
    select: { id: true },
    take: 500,
  });
  return rows.map((r) => r.id);
}
