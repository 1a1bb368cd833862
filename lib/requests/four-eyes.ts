import "server-only";
import type { Actor } from "@/lib/auth/actor";
import type { Prisma, RunnerRequest } from "@/lib/generated/prisma/client";

// Nobody approves answers they wrote or changed, whoever created the request: team members can
// rewrite a request's answers at any time and add anyone to the team, so the approver must be
// neither someone who wrote the version under review nor a member of the request's team.

/** Timeline entries whose actor wrote or sent answers (lib/requests/create.ts, edit.ts, actions.ts). */
export const AUTHORING_EVENTS = ["submitted", "draft_saved", "edited", "submit", "resubmit", "request_change", "request_decommission"];

export interface ApprovalFacts {
  request: Pick<RunnerRequest, "requesterId" | "submittedById">;
  teamName: string;
  actorId: string;
  /** The actor is a member of the request's team now. */
  inTeam: boolean;
  /** The actor wrote or sent answers since the last approval (or ever, before one). */
  authored: boolean;
}

/** Why this person may not approve the request, or null when they may. */
export function approvalRefusal(f: ApprovalFacts): string | null {
  if (f.request.requesterId === f.actorId) return "You cannot approve your own request; another reviewer has to.";
  if (f.request.submittedById === f.actorId || f.authored) {
    return "You wrote or changed the answers under review, so you cannot approve them; a reviewer who did not has to.";
  }
  if (f.inTeam) {
    return `You are a member of team ${f.teamName}, whose members can change this request's answers, so you cannot approve it; a reviewer outside the team has to.`;
  }
  return null;
}

/** approvalRefusal from the database, inside the approval's transaction. */
export async function approvalRefusalFor(tx: Prisma.TransactionClient, request: RunnerRequest, actor: Actor): Promise<string | null> {
  const [membership, authoredEvent, team] = await Promise.all([
    tx.teamMembership.findUnique({ where: { teamId_userId: { teamId: request.teamId, userId: actor.id } }, select: { userId: true } }),
    tx.requestEvent.findFirst({
      where: { requestId: request.id, actorId: actor.id, type: { in: AUTHORING_EVENTS }, ...(request.approvedAt ? { createdAt: { gt: request.approvedAt } } : {}) },
      select: { id: true },
    }),
    tx.team.findUniqueOrThrow({ where: { id: request.teamId }, select: { name: true } }),
  ]);
  return approvalRefusal({ request, teamName: team.name, actorId: actor.id, inTeam: !!membership, authored: !!authoredEvent });
}

/**
 * An imported scale set's first re-apply (a take-over) applies the imported answers and the admin's
 * overlay for the first time, so it is an approval of them: not by the admin who imported it.
 */
export function takeOverRefusal(request: Pick<RunnerRequest, "adoptFrom" | "requesterId">, actorId: string): string | null {
  return request.adoptFrom && request.requesterId === actorId
    ? "You imported this scale set, so another reviewer takes it over: its first apply by the portal is a decision two people see."
    : null;
}
