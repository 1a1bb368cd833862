import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import { appendEvent, type EventInput } from "@/lib/audit";
import { db } from "@/lib/db";
import type { Prisma, RunnerRequest } from "@/lib/generated/prisma/client";
import { conflict, forbiddenError, notFoundError, unprocessable } from "@/lib/http-errors";
import { notifyTransition } from "@/lib/notify/notify-transition";
import { claimLabel } from "./create";
import { approvalRefusalFor, takeOverRefusal } from "./four-eyes";
import { claimNamespace, releaseNamespaceIfUnused } from "./namespace-claim";
import { requireRequestId } from "./request-id";
import { transitionFor, TransitionError, type Action, type Transition } from "./state-machine";
import { visibleTo } from "./visibility";

export interface TransitionInput {
  requestId: string;
  action: Action;
  /** null for the provisioning worker. */
  actor: Actor | null;
  reason?: string | null;
  /** The version the person saw; a stale one means someone else acted first. */
  expectedVersion?: number;
  /** Further changes made in the same transaction, with what they change for the timeline. */
  alsoUpdate?: (
    request: RunnerRequest,
    t: Transition,
    tx: Prisma.TransactionClient,
  ) => Promise<{ data?: Prisma.RunnerRequestUncheckedUpdateManyInput; changes?: EventInput["changes"]; message?: string }>;
}

function authorise(t: Transition, request: RunnerRequest, actor: Actor | null) {
  if (t.by === "system") {
    if (actor) throw forbiddenError("Only the provisioning worker does this.");
    return;
  }
  if (!actor) throw forbiddenError("A person must do this.");
  if (t.by === "reviewer") {
    if (!allows(actor, "reviewer")) throw forbiddenError("Only OSSCI reviewers can do this.");
    return;
  }
  if (!actor.teamIds.includes(request.teamId)) throw forbiddenError("Only members of the request's team can do this.");
}

/**
 * Moves a request along the state machine: checks the rule and who is acting,
 * then writes the new status and its timeline event in one transaction, only
 * if nobody changed the request meanwhile. Exactly one of several concurrent
 * decisions wins; the others get a 409 that names the state they lost to.
 */
export async function performTransition(input: TransitionInput) {
  requireRequestId(input.requestId);
  const result = await transitionInTransaction(input);
  // Outside the transaction: the webhook is queued only for a committed change, and never blocks it.
  void notifyTransition(result.request.id, result.transition.to, input.actor?.id ?? null, input.reason?.trim() || null);
  return result;
}

async function transitionInTransaction(input: TransitionInput) {
  const { actor } = input;
  return db.$transaction(async (tx) => {
    const request = await tx.runnerRequest.findFirst({
      where: actor ? { AND: [{ id: input.requestId }, visibleTo(actor)] } : { id: input.requestId },
    });
    if (!request) throw notFoundError(`Request ${input.requestId} was not found, or it belongs to another team.`);
    if (input.expectedVersion !== undefined && input.expectedVersion !== request.version) throw stale(request);
    let t: Transition;
    try {
      t = transitionFor(input.action, request);
    } catch (err) {
      if (err instanceof TransitionError) throw conflict(err.message);
      throw err;
    }
    authorise(t, request, actor);
    const refusal =
      t.action === "approve" ? await approvalRefusalFor(tx, request, actor!) : t.action === "reapply" ? takeOverRefusal(request, actor!.id) : null;
    if (refusal) throw forbiddenError(refusal);
    const reason = input.reason?.trim() || null;
    if (t.needsReason && !reason) throw unprocessable("Give a reason; it is shown to the team.", { reason: ["A reason is required"] });

    const extra = (await input.alsoUpdate?.(request, t, tx)) ?? {};
    // A request that can no longer be provisioned with its key keeps none: rejected, decommissioned,
    // or back at its approved version (whose key the cluster holds) after a declined or withdrawn change.
    const dropsKey =
      !!request.privateKeyCiphertext && (t.to === "REJECTED" || t.to === "DECOMMISSIONED" || (t.to === "READY" && (t.action === "reject" || t.action === "withdraw")));
    const updated = await tx.runnerRequest.updateMany({
      where: { id: request.id, version: request.version, status: request.status },
      data: {
        ...extra.data,
        ...(dropsKey ? { privateKeyCiphertext: null } : {}),
        status: t.to,
        reviewKind: t.kind,
        version: { increment: 1 },
        ...(t.to === "SUBMITTED" ? { submittedAt: new Date(), submittedById: actor?.id ?? null } : {}),
      },
    });
    if (updated.count !== 1) throw stale(await tx.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }));

    // Where the request is now (an edit or the approval may have moved it).
    const label = (extra.data?.label as string | undefined) ?? request.label;
    const clusterId = (extra.data?.clusterId as string | undefined) ?? request.clusterId;
    const namespace = (extra.data?.namespace as string | undefined) ?? request.namespace;
    if (t.to === "SUBMITTED") {
      await tx.labelClaim.deleteMany({ where: { requestId: request.id, NOT: { clusterId, label } } });
      await claimLabel(tx, clusterId, label, request.id);
    }
    // Only a new scale set is refused another team's namespace: a live one cannot move, and refusing its
    // change or removal (namespaces shared before claims existed, live imports) would not unshare it.
    if (t.to === "SUBMITTED" || t.action === "approve") await claimNamespace(tx, { clusterId, namespace, teamId: request.teamId }, { asFound: t.kind !== "NEW" });
    if (clusterId !== request.clusterId || namespace !== request.namespace) {
      await releaseNamespaceIfUnused(tx, { clusterId: request.clusterId, namespace: request.namespace, teamId: request.teamId });
    }
    if (t.to === "REJECTED" || t.to === "DECOMMISSIONED") {
      await tx.labelClaim.deleteMany({ where: { requestId: request.id } });
      await releaseNamespaceIfUnused(tx, { clusterId, namespace, teamId: request.teamId });
    }

    await appendEvent(tx, {
      requestId: request.id,
      actorId: actor?.id ?? null,
      type: t.action,
      from: t.from,
      to: t.to,
      message: [reason, extra.message].filter(Boolean).join("\n") || null,
      changes: extra.changes ?? null,
    });
    if (dropsKey) {
      await appendEvent(tx, {
        requestId: request.id,
        actorId: null,
        type: "key_deleted",
        message: `Private key deleted from the portal's database: this version will never be provisioned. Fingerprint ${request.privateKeyFingerprint ?? "unknown"}.`,
      });
    }
    return { transition: t, request: await tx.runnerRequest.findUniqueOrThrow({ where: { id: request.id } }) };
  });
}

function stale(current: RunnerRequest) {
  return conflict(
    `Someone else acted on this request first: it is now ${current.status.toLowerCase().replace(/_/g, " ")}. The page shows the current state.`,
  );
}
