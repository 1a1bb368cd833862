import "server-only";
import { z } from "zod";
import type { Actor } from "@/lib/auth/actor";
import { clusterSettingsSchema, type ClusterSettings } from "@/lib/arc/settings";
import { loadClusterSettings, settingsOf } from "@/lib/clusters/cluster-settings";
import { limitsOn } from "@/lib/clusters/settings";
import type { Prisma, RunnerRequest } from "@/lib/generated/prisma/client";
import { conflict, unprocessable } from "@/lib/http-errors";
import { enqueueProvisioning } from "@/lib/provision/service";
import { clusterName, moveLabelClaim, registeredCluster, type ClusterRow } from "./cluster-choice";
import { capacityForApproval, capacityVerdict, type ApprovalCapacity } from "./capacity-approval";
import { fitOnCluster } from "./cluster-fit";
import { importedDecommissionWarning } from "./helm-release";
import { diffSpecs } from "./spec-diff";
import type { StoredSpec } from "./stored-spec";
import { enforceTeamCeilings } from "./team-ceilings";
import { performTransition } from "./transition";

// The decisions and requests that carry no new answers: reviewers approve,
// reject, ask for changes, retry or re-apply; teams ask for decommission or
// withdraw a pending change. Edits with answers go through edit.ts.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Shown on the timeline and stored as text: line breaks yes, other control characters (PostgreSQL refuses NUL) and broken Unicode (a lone surrogate) no. */
function plainText(field: string) {
  return z
    .string({ error: `${field} must be text` })
    .max(2000, `${field} must be at most 2000 characters`)
    .refine((v) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(v), `${field} must be plain text without control characters`)
    .refine((v) => !LONE_SURROGATE.test(v), `${field} must be valid Unicode text`);
}

export const actionBodySchema = z.object({
  action: z.enum(["approve", "reject", "request_changes", "retry", "reapply", "request_decommission", "withdraw"], {
    error: "action must be one of approve, reject, request_changes, retry, reapply, request_decommission, withdraw",
  }),
  reason: plainText("reason").optional(),
  /** Approving although the capacity check says it does not fit: why (lib/requests/capacity-approval.ts). */
  overrideReason: plainText("overrideReason").optional(),
  version: z.number({ error: "version must be the request version you saw" }).int().optional(),
  adjustments: z
    .object({ namespace: z.string().optional(), maxRunners: z.number().optional() }, { error: "adjustments must be an object" })
    .strict()
    .optional(),
  /** The cluster to approve a new request onto; the request's current one when absent. */
  clusterId: z
    .string({ error: "clusterId must be a registered cluster's id" })
    .max(64, "clusterId must be a registered cluster's id")
    .regex(/^[A-Za-z0-9_-]+$/, "clusterId must be a registered cluster's id")
    .optional(),
});

export type ActionBody = z.infer<typeof actionBodySchema>;

/**
 * The answers an approval puts on the cluster: validated against that cluster's limits (GPU
 * classes, per-request ceilings) and its team ceilings with the form's and submission's code,
 * since a reviewer may choose a cluster the requester did not fill the form for. Refuses with
 * a 422 naming the problem; runs in the approval's transaction, so a refusal changes nothing.
 */
async function fitForApproval(
  tx: Prisma.TransactionClient,
  request: RunnerRequest,
  cluster: ClusterRow,
  moving: boolean,
  adjustments: ActionBody["adjustments"],
): Promise<StoredSpec> {
  const spec = request.spec as unknown as StoredSpec;
  const where = `cluster ${clusterName(cluster)}`;
  let settings: ClusterSettings;
  try {
    settings = settingsOf(cluster);
  } catch {
    throw conflict(`The settings stored for ${where} are not valid, so nothing can be approved onto it; an admin must fix them on the cluster's settings page, or pick another cluster.`, {
      clusterId: [`${clusterName(cluster)} has invalid settings`],
    });
  }
  const fit = fitOnCluster(spec, limitsOn(settings), where, adjustments);
  if (!fit.ok) {
    if (adjustments && !moving) throw unprocessable("The adjustment is not valid.", fit.fieldErrors);
    const advice = moving ? "Ask the team to change the request, or pick a cluster that fits it." : "Adjust the request before approving, or ask the team to change it.";
    throw unprocessable(`${fit.problems.join(". ")}. ${advice}`, { ...fit.fieldErrors, ...(moving ? { clusterId: fit.problems } : {}) });
  }
  const team = await tx.team.findUniqueOrThrow({ where: { id: request.teamId }, select: { id: true, name: true } });
  await enforceTeamCeilings(tx, {
    team,
    cluster: { id: cluster.id, name: clusterName(cluster) },
    settings,
    request: { maxRunners: fit.spec.maxRunners, gpus: fit.spec.gpus },
    requestId: request.id,
    advice: "Lower the maximum runners before approving, pick another cluster, or ask an admin to raise the team ceiling.",
  });
  // Unchanged answers stay exactly as submitted: the timeline shows no change that nobody made.
  return adjustments || moving ? fit.spec : spec;
}

/** Back to what was approved: a declined or withdrawn change leaves the runners as they are. */
function revertToApproved(request: RunnerRequest) {
  const approved = request.approvedSpec as unknown as StoredSpec | null;
  if (!approved) return {};
  const keyChanged = request.privateKeyFingerprint !== (approved.githubApp.keyFingerprint ?? null);
  return {
    data: {
      spec: approved as unknown as Prisma.InputJsonValue,
      label: approved.label,
      namespace: approved.namespace,
      // The new key's ciphertext is deleted by the transition itself (and recorded on the timeline).
      ...(keyChanged ? { privateKeyFingerprint: approved.githubApp.keyFingerprint ?? null } : {}),
    },
    changes: diffSpecs(request.spec as unknown as StoredSpec, approved),
  };
}

/**
 * A re-apply renders with the cluster's settings as they are now: an admin's settings change
 * reaches a live scale set only this way. The timeline says which settings it takes.
 */
async function takeCurrentSettings(request: RunnerRequest) {
  const current = await loadClusterSettings(request.clusterId);
  const before = clusterSettingsSchema.safeParse(request.appliedSettings);
  const changed = before.success
    ? (Object.keys(current) as (keyof ClusterSettings)[]).filter((k) => JSON.stringify(before.data[k]) !== JSON.stringify(current[k]))
    : null;
  const message =
    changed === null
      ? "Re-applied with the cluster's current settings."
      : changed.length === 0
        ? "Re-applied with the cluster's current settings (unchanged since the last apply)."
        : `Re-applied with the cluster's current settings, which changed since the last apply: ${changed.join(", ")}.`;
  return { data: { appliedSettings: current as unknown as Prisma.InputJsonValue }, message };
}

/** Takes the action; an approval (or retry, re-apply) then queues provisioning and says what will happen. */
export async function act(actor: Actor, requestId: string, body: ActionBody): Promise<{ notice: string | null }> {
  // Outside the transaction: the cluster may take seconds to answer.
  const capacity = await capacityForApproval(actor, requestId, body);
  const { transition, request } = await transitionWithAnswers(actor, requestId, body, capacity);
  // Asking to remove an imported scale set helm still owns: say again what that deletes and leaves.
  if (transition.action === "request_decommission") return { notice: importedDecommissionWarning(request) };
  if (transition.to !== "APPROVED") return { notice: null };
  // After the commit: a queue failure must not undo a decision, and the reconciler catches a missed send.
  const queued = await enqueueProvisioning(requestId).catch((err: Error) => ({ queued: false as const, notice: `Provisioning will start within a minute (${err.message}).` }));
  return { notice: queued.queued ? null : queued.notice };
}

function transitionWithAnswers(actor: Actor, requestId: string, body: ActionBody, capacity: ApprovalCapacity | null) {
  return performTransition({
    requestId,
    action: body.action,
    actor,
    reason: body.reason,
    expectedVersion: body.version,
    alsoUpdate: async (request, t, tx) => {
      if (t.action === "approve") {
        const spec = request.spec as unknown as StoredSpec;
        const current = await registeredCluster(request.clusterId, "clusterId", tx);
        const target = (await approvalCluster(request, t, body.clusterId, tx)) ?? current;
        const moving = target.id !== request.clusterId;
        // A removal needs no room: it is approved whatever the cluster's limits are now.
        const final = t.kind === "DECOMMISSION" ? spec : await fitForApproval(tx, request, target, moving, body.adjustments);
        const adjusted = diffSpecs(spec, final);
        const changes: Record<string, { before: unknown; after: unknown }> = { ...adjusted };
        if (moving) {
          // Same transaction as the status change: a label taken there refuses the approval and changes nothing.
          await moveLabelClaim(tx, request.id, request.label, target);
          changes.cluster = { before: clusterName(current), after: clusterName(target) };
        }
        const data = {
          spec: final as unknown as Prisma.InputJsonValue,
          namespace: final.namespace,
          ...(moving ? { clusterId: target.id } : {}),
          ...(t.kind === "DECOMMISSION" ? {} : { approvedSpec: final as unknown as Prisma.InputJsonValue, approvedAt: new Date() }),
        };
        const adjustedNote = Object.keys(adjusted).length > 0 ? "Adjusted by the reviewer before approval." : null;
        const clusterNote = t.kind === "NEW" ? await clusterDecision(tx, request, target) : null;
        const capacityNote = capacityVerdict(capacity, body.overrideReason, { requestId: request.id, actorLogin: actor.login });
        const message = [clusterNote, adjustedNote, capacityNote].filter(Boolean).join("\n") || undefined;
        return Object.keys(changes).length > 0 ? { data, changes, message } : { data, message };
      }
      if (body.adjustments) throw unprocessable("Adjustments go with an approval only.", { adjustments: ["Only an approval can adjust the request"] });
      if (body.clusterId) throw unprocessable("A cluster is chosen with an approval only.", { clusterId: ["Only an approval can choose the cluster"] });
      if (body.overrideReason) throw unprocessable("A reason to approve anyway goes with an approval only.", { overrideReason: ["Only an approval can be made anyway"] });
      if ((t.action === "reject" && t.kind !== "NEW") || t.action === "withdraw") return revertToApproved(request);
      if (t.action === "reapply") return takeCurrentSettings(request);
      if (t.action === "request_decommission") return { message: importedDecommissionWarning(request) ?? undefined };
      return {};
    },
  });
}

/**
 * The cluster an approval puts the request on, when the reviewer named one. Only a new
 * request can move: a change or removal of a provisioned scale set stays where it runs.
 */
async function approvalCluster(request: RunnerRequest, t: { kind: string }, clusterId: string | undefined, tx: Prisma.TransactionClient): Promise<ClusterRow | null> {
  if (!clusterId) return null;
  const target = await registeredCluster(clusterId, "clusterId", tx);
  if (target.id !== request.clusterId && t.kind !== "NEW") {
    throw unprocessable("The cluster is fixed once the scale set is provisioned.", {
      clusterId: ["The cluster is fixed once provisioned; only a new request can be approved onto another cluster"],
    });
  }
  return target;
}

/** The timeline's note of which cluster the reviewer chose, beside the requester's preference. */
async function clusterDecision(tx: Prisma.TransactionClient, request: RunnerRequest, chosen: Pick<ClusterRow, "id" | "name" | "displayName">) {
  const preferred =
    request.preferredClusterId && request.preferredClusterId !== chosen.id
      ? await tx.cluster.findUnique({ where: { id: request.preferredClusterId }, select: { name: true, displayName: true } })
      : null;
  const note = !request.preferredClusterId ? " (the requester had no preference)" : preferred ? `; the requester preferred ${clusterName(preferred)}` : " (the requester's preference)";
  return `Approved onto cluster ${clusterName(chosen)}${note}.`;
}
