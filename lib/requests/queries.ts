import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { db } from "@/lib/db";
import { notFoundError } from "@/lib/http-errors";
import type { StoredSpec } from "./stored-spec";
import { visibleTo } from "./visibility";

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

/** The requests of the person's teams (everyone's for reviewers), newest first. */
export async function listRequests(actor: Actor, opts: { mineOnly?: boolean } = {}): Promise<RequestSummary[]> {
  const rows = await db.runnerRequest.findMany({
    where: opts.mineOnly ? { teamId: { in: actor.teamIds } } : visibleTo(actor),
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      number: true,
      status: true,
      label: true,
      namespace: true,
      spec: true,
      createdAt: true,
      updatedAt: true,
      team: { select: { name: true } },
      cluster: { select: { name: true } },
    },
  });
  return rows.map((r) => {
    const spec = r.spec as unknown as StoredSpec;
    return {
      id: r.id,
      number: r.number,
      status: r.status,
      label: r.label,
      namespace: r.namespace,
      team: r.team.name,
      cluster: r.cluster.name,
      gpus: spec.gpus,
      maxRunners: spec.maxRunners,
      createdAt: r.createdAt.toISOString(),
      updatedAt: r.updatedAt.toISOString(),
    };
  });
}

/** One request the person may see, with its timeline; 404 otherwise, whether it exists or not. */
export async function getRequest(actor: Actor, id: string) {
  const request = await db.runnerRequest.findFirst({
    where: { AND: [{ id }, visibleTo(actor)] },
    include: {
      team: { select: { id: true, name: true, slug: true } },
      cluster: { select: { id: true, name: true, displayName: true } },
      requester: { select: { id: true, login: true, name: true } },
      events: { orderBy: { createdAt: "asc" }, include: { actor: { select: { login: true, name: true } } } },
    },
    omit: { privateKeyCiphertext: true },
  });
  if (!request) throw notFoundError(`Request ${id} was not found, or it belongs to another team.`);
  return { ...request, spec: request.spec as unknown as StoredSpec };
}
