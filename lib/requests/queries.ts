import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db, queryRows } from "@/lib/db";
import { readCache } from "@/lib/db/read-cache";
import { Prisma } from "@/lib/generated/prisma/client";
import { notFoundError } from "@/lib/http-errors";
import { requireRequestId } from "./request-id";
import type { StoredSpec } from "./stored-spec";
import { visibilityKey, visibleTo, visibleToSql } from "./visibility";

export interface RequestSummary {
  id: string;
  number: number;
  status: string;
  label: string;
  namespace: string;
  team: string;
  cluster: string;
  gpus: number;
  maxRunners: number;
  createdAt: string;
  updatedAt: string;
}

/** The tables a list row is read from; shared with the review queue. */
export const LIST_TABLES = ["RunnerRequest", "Team", "Cluster", "User"] as const;

// Keyed by whose requests (visibilityKey): every reviewer shares one entry, members one per set of teams.
const requestLists = readCache<RequestSummary[]>("request-lists", { tables: LIST_TABLES, maxEntries: 500, ttlMs: 60_000 });

/**
 * The requests of the person's teams (everyone's for reviewers), newest first.
 *
 * The hottest read of the portal, so it is one SQL statement. The page is picked on the sort
 * key alone, and only its rows are read and shaped (a reviewer's page is 200 of every
 * request: shaping all of them before the sort cost 3-4× as much). The two numbers the list
 * shows come out of the spec with json operators instead of parsing every spec, the team and
 * cluster names come from joins, and the times come as the ISO text the API sends (no Date
 * objects: parsing and printing 400 of them was a third of the work). `npm run bench`
 * compares it with a bare node:http + pg server running the same statement. The page is kept
 * in a read cache (lib/db/read-cache.ts) until a request, team, cluster or person changes.
 */
export async function listRequests(actor: Actor, opts: { mineOnly?: boolean } = {}): Promise<RequestSummary[]> {
  return requestLists.get(visibilityKey(actor, opts), () => {
    const visible = opts.mineOnly ? Prisma.sql`r."teamId" = ANY(${actor.teamIds}::text[])` : visibleToSql(actor, "r");
    return queryRows<RequestSummary>(Prisma.sql`
    SELECT r.id, r.number, r.status::text AS status, r.label, r.namespace, t.name AS team, c.name AS cluster,
           (r.spec->>'gpus')::int AS gpus, (r.spec->>'maxRunners')::int AS "maxRunners",
           ${isoText(Prisma.sql`r."createdAt"`)} AS "createdAt", ${isoText(Prisma.sql`r."updatedAt"`)} AS "updatedAt"
    FROM (SELECT r.id FROM "RunnerRequest" r WHERE ${visible} ORDER BY r."createdAt" DESC LIMIT 200) page
    JOIN "RunnerRequest" r ON r.id = page.id
    JOIN "Team" t ON t.id = r."teamId"
    JOIN "Cluster" c ON c.id = r."clusterId"
    ORDER BY r."createdAt" DESC`);
  });
}


/** A timestamp(3) column (UTC, as Prisma writes them) as the text Date.toISOString() gives. */
export function isoText(column: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** One request the person may see, with its timeline; 404 otherwise, whether it exists or not. */
export async function getRequest(actor: Actor, id: string) {
  requireRequestId(id);
  const request = await db.runnerRequest.findFirst({
    where: { AND: [{ id }, visibleTo(actor)] },
    include: {
      team: { select: { id: true, name: true, slug: true } },
      cluster: { select: { id: true, name: true, displayName: true } },
      requester: { select: { id: true, login: true, name: true } },
      submittedBy: { select: { login: true } },
      events: { orderBy: { createdAt: "asc" }, include: { actor: { select: { login: true, name: true } } } },
    },
    omit: { privateKeyCiphertext: true },
  });
  if (!request) throw notFoundError(`Request ${id} was not found, or it belongs to another team.`);
  return { ...request, spec: request.spec as unknown as StoredSpec };
}
