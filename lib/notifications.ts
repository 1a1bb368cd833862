import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import { db } from "@/lib/db";

/**
 * The header badges: for reviewers, requests waiting for a decision; for
 * everyone, their teams' requests that someone else changed since they last
 * looked.
 */
export async function badgeCounts(actor: Actor): Promise<{ pendingReview: number | null; changed: number }> {
  const [pendingReview, changedRows] = await Promise.all([
    allows(actor, "reviewer") ? db.runnerRequest.count({ where: { status: "SUBMITTED" } }) : Promise.resolve(null),
    actor.teamIds.length === 0
      ? Promise.resolve([{ n: 0 }])
      : db.$queryRaw<{ n: number }[]>`
          SELECT count(DISTINCT r.id)::int AS n
          FROM "RunnerRequest" r
          JOIN "RequestEvent" e ON e."requestId" = r.id
          LEFT JOIN "RequestSeen" s ON s."requestId" = r.id AND s."userId" = ${actor.id}
          WHERE r."teamId" = ANY(${actor.teamIds}::text[])
            AND (e."actorId" IS NULL OR e."actorId" <> ${actor.id})
            AND e."createdAt" > COALESCE(s."seenAt", r."createdAt")`,
  ]);
  return { pendingReview, changed: changedRows[0]?.n ?? 0 };
}

export async function markSeen(actor: Actor, requestId: string) {
  await db.requestSeen.upsert({
    where: { userId_requestId: { userId: actor.id, requestId } },
    update: { seenAt: new Date() },
    create: { userId: actor.id, requestId },
  });
}
