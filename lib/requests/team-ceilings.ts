import "server-only";
import type { ClusterSettings } from "@/lib/arc/settings";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { unprocessable } from "@/lib/http-errors";
import type { StoredSpec } from "./stored-spec";

// Per-team ceilings of a cluster (ClusterSettings.teamMaxRunners / teamMaxGpus): what one team's
// scale sets there may hold at most, every runner busy at once. A request is counted with the
// team's approved scale sets on the cluster, the same rows the capacity check counts as claims.

export type TeamUsage = { runners: number; gpus: number; scaleSets: number };

export type TeamCeilingLine = {
  resource: "runners" | "GPUs";
  /** What the team's other approved scale sets on the cluster hold. */
  used: number;
  /** What this request asks for. */
  asked: number;
  /** used + asked: what the team would hold. */
  total: number;
  ceiling: number;
  over: boolean;
};

type Reader = Pick<Prisma.TransactionClient, "runnerRequest">;

/**
 * The requests whose scale set holds room on the cluster: approved, live, or being changed or
 * removed (each may run up to its maximum), except one request. The capacity check's claims too.
 */
export function approvedOnCluster(clusterId: string, exceptRequestId?: string): Prisma.RunnerRequestWhereInput {
  return {
    clusterId,
    ...(exceptRequestId ? { id: { not: exceptRequestId } } : {}),
    status: { notIn: ["DRAFT", "REJECTED", "DECOMMISSIONED"] },
    approvedSpec: { not: Prisma.DbNull },
  };
}

/** The team's approved (live, being changed or removed) scale sets on the cluster, except one request. */
export async function teamUsageOnCluster(teamId: string, clusterId: string, exceptRequestId?: string, client: Reader = db): Promise<TeamUsage> {
  const rows = await client.runnerRequest.findMany({
    where: { teamId, ...approvedOnCluster(clusterId, exceptRequestId) },
    select: { approvedSpec: true },
  });
  let runners = 0;
  let gpus = 0;
  for (const row of rows) {
    const spec = row.approvedSpec as unknown as Partial<StoredSpec> | null;
    const max = Number(spec?.maxRunners ?? 0);
    runners += max;
    gpus += max * Number(spec?.gpus ?? 0);
  }
  return { runners, gpus, scaleSets: rows.length };
}

/** The cluster's team ceilings against the team's usage plus this request; none when the cluster sets none. */
export function teamCeilingLines(
  settings: Pick<ClusterSettings, "teamMaxRunners" | "teamMaxGpus">,
  usage: TeamUsage,
  request: { maxRunners: number; gpus: number },
): TeamCeilingLine[] {
  const line = (resource: TeamCeilingLine["resource"], used: number, asked: number, ceiling: number | null): TeamCeilingLine[] =>
    ceiling === null ? [] : [{ resource, used, asked, total: used + asked, ceiling, over: used + asked > ceiling }];
  return [
    ...line("runners", usage.runners, request.maxRunners, settings.teamMaxRunners),
    ...line("GPUs", usage.gpus, request.maxRunners * request.gpus, settings.teamMaxGpus),
  ];
}

/** "Team ROCm would use 40 of 32 GPUs on cluster mi300: 24 in its approved scale sets there, 16 in this request." */
export function describeTeamCeiling(team: string, where: string, l: TeamCeilingLine): string {
  return `Team ${team} would use ${l.total} of ${l.ceiling} ${l.resource} on ${where}: ${l.used} in its approved scale sets there, ${l.asked} in this request.`;
}

/**
 * Refuses (422, no write) a request that would take its team over a ceiling of the cluster.
 * Runs in the caller's transaction, before the request is written.
 */
export async function enforceTeamCeilings(
  client: Reader,
  args: {
    team: { id: string; name: string };
    cluster: { id: string; name: string };
    settings: ClusterSettings;
    request: { maxRunners: number; gpus: number };
    /** The request being edited: its own approved version is replaced, so it is not counted. */
    requestId?: string;
    /** What the person refused can do; a requester's options by default. */
    advice?: string;
  },
): Promise<void> {
  if (args.settings.teamMaxRunners === null && args.settings.teamMaxGpus === null) return;
  const usage = await teamUsageOnCluster(args.team.id, args.cluster.id, args.requestId, client);
  const over = teamCeilingLines(args.settings, usage, args.request).filter((l) => l.over);
  if (over.length === 0) return;
  const messages = over.map((l) => describeTeamCeiling(args.team.name, `cluster ${args.cluster.name}`, l));
  const room = (l: TeamCeilingLine) => Math.max(0, l.ceiling - l.used);
  const fieldErrors: Record<string, string[]> = {};
  for (const l of over) {
    const hint =
      l.resource === "runners"
        ? `At most ${room(l)} more runners for team ${args.team.name} on this cluster (team ceiling ${l.ceiling})`
        : `At most ${room(l)} more GPUs (maximum runners × GPUs per runner) for team ${args.team.name} on this cluster (team ceiling ${l.ceiling})`;
    (fieldErrors.maxRunners ??= []).push(hint);
  }
  throw unprocessable(`${messages.join(" ")} ${args.advice ?? "Ask for fewer runners or GPUs, or ask an admin to raise the team ceiling."}`, fieldErrors);
}
