import "server-only";
import { z } from "zod";
import { db } from "@/lib/db";
import { RequestStatus } from "@/lib/generated/prisma/enums";
import type { StoredSpec } from "./stored-spec";

export const queueFilterSchema = z.object({
  status: z.enum(["ALL", ...Object.values(RequestStatus)], { error: "status must be a request status or ALL" }).default("SUBMITTED"),
  team: z.string().max(63).regex(/^[a-z0-9-]*$/, "team must be a team slug").optional(),
});

export type QueueFilter = z.infer<typeof queueFilterSchema>;

/** Requests for reviewers, oldest first: the one waiting longest is on top. */
export async function reviewQueue(filter: QueueFilter) {
  const rows = await db.runnerRequest.findMany({
    where: {
      ...(filter.status === "ALL" ? { status: { not: "DRAFT" } } : { status: filter.status as RequestStatus }),
      ...(filter.team ? { team: { slug: filter.team } } : {}),
    },
    orderBy: [{ submittedAt: { sort: "asc", nulls: "last" } }, { createdAt: "asc" }],
    take: 500,
    select: {
      id: true,
      number: true,
      status: true,
      reviewKind: true,
      label: true,
      namespace: true,
      spec: true,
      submittedAt: true,
      createdAt: true,
      team: { select: { slug: true, name: true } },
      requester: { select: { login: true } },
    },
  });
  return rows.map((r) => {
    const spec = r.spec as unknown as StoredSpec;
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      reviewKind: r.reviewKind,
      label: r.label,
      namespace: r.namespace,
      team: r.team,
      requester: r.requester.login,
      gpus: spec.gpus,
      maxRunners: spec.maxRunners,
      waitingSince: (r.submittedAt ?? r.createdAt).toISOString(),
    };
  });
}

export type QueueRow = Awaited<ReturnType<typeof reviewQueue>>[number];

export async function teamsWithRequests() {
  return db.team.findMany({ where: { requests: { some: {} } }, select: { slug: true, name: true }, orderBy: { name: "asc" } });
}
