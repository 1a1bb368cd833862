import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import { CHECK_AGAIN_WARNING, checkIncomplete, type GitHubCheck } from "./github-checks";
import { db } from "@/lib/db";
import { teamStaff } from "@/lib/teams/queries";
import { AUTHORING_EVENTS, approvalRefusal, takeOverRefusal } from "./four-eyes";
import { namespaceOwner } from "./namespace-claim";
import { getRequest } from "./queries";
import { renderRequestArtifacts } from "./render";
import { diffSpecs } from "./spec-diff";
import { availableActions, type Action } from "./state-machine";
import type { StoredSpec } from "./stored-spec";

/**
 * A request as its page shows it, for this person: the answers, what changed
 * since the last approval, the generated files, the timeline, and the actions
 * this person may take now. Holds no secret, only the key's fingerprint.
 */
export async function requestView(actor: Actor, id: string) {
  return viewOf(actor, await getRequest(actor, id));
}

/** requestView and the row it was made from, for a page whose other parts need the row too. */
export async function requestViewAndRow(actor: Actor, id: string) {
  const r = await getRequest(actor, id);
  return { view: await viewOf(actor, r), row: r };
}

async function viewOf(actor: Actor, r: Awaited<ReturnType<typeof getRequest>>) {
  const inTeam = actor.teamIds.includes(r.teamId);
  const reviewer = allows(actor, "reviewer");
  // The same rule the approval itself enforces (lib/requests/four-eyes.ts), from the timeline already read.
  const authored = r.events.some((e) => e.actorId === actor.id && AUTHORING_EVENTS.includes(e.type) && (!r.approvedAt || e.createdAt > r.approvedAt));
  const refusal =
    reviewer && r.status === "SUBMITTED" ? approvalRefusal({ request: r, teamName: r.team.name, actorId: actor.id, inTeam, authored }) : null;
  const actions: Action[] = [
    ...(inTeam ? availableActions(r, "team") : []),
    ...(reviewer ? availableActions(r, "reviewer").filter((a) => !(a === "approve" && refusal) && !(a === "reapply" && takeOverRefusal(r, actor.id))) : []),
  ];
  const approved = r.approvedSpec as unknown as StoredSpec | null;
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    reviewKind: r.reviewKind,
    version: r.version,
    label: r.label,
    namespace: r.namespace,
    team: r.team,
    cluster: r.cluster,
    /** The cluster the requester would like; null: no preference. The reviewer decides `cluster`. */
    preferredClusterId: r.preferredClusterId,
    requester: r.requester,
    submittedBy: r.submittedBy?.login ?? null,
    /** The notes below are for reviewers. */
    forReviewer: reviewer,
    /** For a reviewer: why they may not approve it (null: they may). */
    approvalRefusal: refusal,
    /** For reviewers: the team's members who are reviewers or admins. */
    teamStaff: reviewer ? await teamStaff(r.teamId) : [],
    /** For reviewers: the team that owns the namespace on the request's cluster (null: unclaimed). */
    namespaceOwner: reviewer ? await namespaceOwner(db, r.clusterId, r.namespace) : null,
    createdAt: r.createdAt.toISOString(),
    submittedAt: r.submittedAt?.toISOString() ?? null,
    spec: r.spec,
    keyFingerprint: r.privateKeyFingerprint,
    /** Imported and not yet taken over: the managers a re-apply takes its objects from. */
    adoptFrom: r.adoptFrom,
    githubCheck: r.githubCheck as unknown as GitHubCheck | null,
    /** GitHub could not be asked at the last check, and the request is still before its decision: "Check with GitHub again". */
    githubRecheck: checkIncomplete(r.githubCheck as unknown as GitHubCheck | null) && ["DRAFT", "SUBMITTED", "CHANGES_REQUESTED"].includes(r.status),
    changesSinceApproval: approved && r.reviewKind === "CHANGE" ? diffSpecs(approved, r.spec) : null,
    artifacts: await renderRequestArtifacts(r),
    events: r.events.map((e) => ({
      id: e.id,
      type: e.type,
      createdAt: e.createdAt.toISOString(),
      actor: e.actor?.login ?? null,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      message: e.message,
      changes: e.changes as Record<string, { before: unknown; after: unknown }> | null,
      /** The timeline's "a reviewer should check again" warning: the page puts the re-check beside it. */
      checkAgain: e.message?.startsWith(CHECK_AGAIN_WARNING) || e.message?.includes(`\n${CHECK_AGAIN_WARNING}`) || false,
    })),
    actions,
    ownRequest: r.requesterId === actor.id,
    canEdit: inTeam && ["DRAFT", "CHANGES_REQUESTED", "READY"].includes(r.status),
  };
}

export type RequestView = Awaited<ReturnType<typeof viewOf>>;
