import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { allows } from "@/lib/auth/gate";
import { settingsOf } from "@/lib/clusters/cluster-settings";
import { db } from "@/lib/db";
import { unprocessable } from "@/lib/http-errors";
import { log } from "@/lib/log";
import { capacityOnCluster } from "@/lib/provision/capacity";
import { capacitySummary } from "@/lib/provision/capacity-summary";
import type { CapacityReport } from "@/lib/provision/types";
import { clusterName } from "./cluster-choice";
import { getRequest } from "./queries";
import type { StoredSpec } from "./stored-spec";

// An approval of a request the capacity check says does not fit goes through only with the
// reviewer's reason for approving anyway, which the approval's timeline entry records. The
// server asks the cluster itself at approval (with the reviewer's adjustments), so a stale
// page or a direct API call cannot skip the check. The cluster gets APPROVAL_CHECK_MS to
// answer: an unreachable cluster does not block approvals, and the timeline says the
// capacity was not checked.

/** How long an approval waits for the cluster before approving without a capacity answer. */
export const APPROVAL_CHECK_MS = 8_000;

export interface ApprovalCapacity {
  report: CapacityReport;
  clusterName: string;
}

type ApproveBody = { action: string; clusterId?: string; adjustments?: { namespace?: string; maxRunners?: number } };

/**
 * Asks the cluster, before the approval's transaction, whether the request fits: null when
 * there is nothing to ask (not an approval of a new or changed scale set, or not a reviewer:
 * the transition refuses those itself).
 */
export async function capacityForApproval(actor: Actor, requestId: string, body: ApproveBody): Promise<ApprovalCapacity | null> {
  if (body.action !== "approve" || !allows(actor, "reviewer")) return null;
  const r = await getRequest(actor, requestId);
  if (r.status !== "SUBMITTED" || r.reviewKind === "DECOMMISSION") return null;
  const a = body.adjustments ?? {};
  // Only well-formed adjustments count here; the approval refuses the others with their own message.
  const spec: StoredSpec = {
    ...(r.spec as unknown as StoredSpec),
    ...(typeof a.namespace === "string" && a.namespace ? { namespace: a.namespace } : {}),
    ...(Number.isInteger(a.maxRunners) ? { maxRunners: a.maxRunners } : {}),
  };
  const clusterId = body.clusterId ?? r.clusterId;
  const cluster = await db.cluster.findUnique({ where: { id: clusterId }, select: { name: true, displayName: true, settings: true } });
  // An unregistered cluster, or one whose settings do not validate: the approval itself refuses it, with its own message.
  if (!cluster) return null;
  try {
    settingsOf(cluster);
  } catch {
    return null;
  }
  const report = await capacityOnCluster({ ...r, spec, namespace: spec.namespace }, clusterId, { timeoutMs: APPROVAL_CHECK_MS });
  return { report, clusterName: clusterName(cluster) };
}

/**
 * The approval's timeline note about capacity, or a 422 when it does not fit and no reason
 * to approve anyway was given. Called inside the approval, after who may approve was checked.
 */
export function capacityVerdict(capacity: ApprovalCapacity | null, overrideReason: string | undefined, ctx: { requestId: string; actorLogin: string }): string | null {
  if (!capacity) return null;
  const { report, clusterName } = capacity;
  if (report.fits === null) {
    return report.cluster.state === "unreachable" ? `Approved without a capacity answer: ${report.cluster.message}` : null;
  }
  if (report.fits) return null;
  const summary = capacitySummary(report, clusterName)!;
  const reason = overrideReason?.trim();
  if (!reason) {
    throw unprocessable(`${summary} To approve anyway, give your reason (overrideReason in the API); it is recorded on the timeline.`, {
      overrideReason: ["It does not fit: say why you approve it anyway"],
    });
  }
  log.warn("approved although it does not fit", { requestId: ctx.requestId, reviewer: ctx.actorLogin, cluster: clusterName, summary });
  return [`Approved anyway. ${summary}`, `Reason: ${reason}`, ...report.flags.map((f) => `– ${f}`)].join("\n");
}
