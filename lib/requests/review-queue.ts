import "server-only";
import { z } from "zod";
import { db, queryRows } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { RequestStatus, type ReviewKind } from "@/lib/generated/prisma/enums";
import { readCache } from "@/lib/db/read-cache";
import { isoText, LIST_TABLES } from "./queries";

export const queueFilterSchema = z.object({
  status: z.enum(["ALL", ...Object.values(RequestStatus)], { error: "status must be a request status or ALL" }).default("SUBMITTED"),
  team: z.string().max(63).regex(/^[a-z0-9-]*$/, "team must be a team slug").optional(),
});

export type QueueFilter = z.infer<typeof queueFilterSchema>;

interface QueueSqlRow {
  id: string;
  number: number;
  status: RequestStatus;
  reviewKind: ReviewKind;
  label: string;
  namespace: string;
  teamSlug: string;
  teamName: string;
  requester: string;
  cluster: string;
  preferredCluster: string | null;
  gpus: number;
  maxRunners: number;
  waitingSince: string;
}

/**
 * Requests for reviewers, oldest first: the one waiting longest is on top.
 * One SQL statement, like My requests (queries.ts): the page picked on the sort key alone,
 * then only its rows shaped: the spec's two numbers via json operators, team and requester
 * via joins, the time as ISO text.
 */
export async function reviewQueue(filter: QueueFilter): Promise<QueueRow[]> {
  return queues.get(`${filter.status}/${filter.team ?? ""}`, () => readQueue(filter));
}

const queues = readCache<QueueRow[]>("review-queues", { tables: LIST_TABLES, maxEntries: 100, ttlMs: 60_000 });

async function readQueue(filter: QueueFilter) {
  const status = filter.status === "ALL" ? Prisma.sql`r.status <> 'DRAFT'` : Prisma.sql`r.status = ${filter.status}::"RequestStatus"`;
  const team = filter.team ? Prisma.sql`AND r."teamId" IN (SELECT id FROM "Team" WHERE slug = ${filter.team})` : Prisma.empty;
  const rows = await queryRows<QueueSqlRow>(Prisma.sql`
    SELECT r.id, r.number, r.status::text AS status, r."reviewKind"::text AS "reviewKind", r.label, r.namespace,
           t.slug AS "teamSlug", t.name AS "teamName", u.login AS requester,
           c.name AS cluster, pc.name AS "preferredCluster",
           (r.spec->>'gpus')::int AS gpus, (r.spec->>'maxRunners')::int AS "maxRunners",
           ${isoText(Prisma.sql`COALESCE(r."submittedAt", r."createdAt")`)} AS "waitingSince"
    FROM (SELECT r.id FROM "RunnerRequest" r WHERE ${status} ${team}
          ORDER BY r."submittedAt" ASC NULLS LAST, r."createdAt" ASC LIMIT 500) page
    JOIN "RunnerRequest" r ON r.id = page.id
    JOIN "Team" t ON t.id = r."teamId"
    JOIN "User" u ON u.id = r."requesterId"
    JOIN "Cluster" c ON c.id = r."clusterId"
    LEFT JOIN "Cluster" pc ON pc.id = r."preferredClusterId"
    ORDER BY r."submittedAt" ASC NULLS LAST, r."createdAt" ASC`);
  return rows.map(({ teamSlug, teamName, waitingSince, ...r }) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    reviewKind: r.reviewKind,
    label: r.label,
    namespace: r.namespace,
    team: { slug: teamSlug, name: teamName },
    requester: r.requester,
    cluster: r.cluster,
    preferredCluster: r.preferredCluster,
    gpus: r.gpus,
    maxRunners: r.maxRunners,
    waitingSince,
  }));
}

export type QueueRow = Awaited<ReturnType<typeof readQueue>>[number];

export async function teamsWithRequests() {
  return db.team.findMany({ where: { requests: { some: {} } }, select: { slug: true, name: true }, orderBy: { name: "asc" } });
}
