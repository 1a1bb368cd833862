import "server-only";
import type { KubernetesObject } from "@kubernetes/client-node";
import type { RunnerRequest } from "@/lib/generated/prisma/client";
import { kubeForClusterId } from "@/lib/clusters/connection";
import type { Kube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError, isNotFound } from "@/lib/kube/errors";
import { desiredForRequest } from "./desired";
import { driftBetween, otherSpecEditors } from "./drift";
import { FIELD_MANAGER } from "./kube-objects";
import { provisioningOffNotice } from "./notices";
import type { Drift, RunnerCounts, RunnerStatusReport } from "./types";

// Live status of a request's scale set, read from its AutoscalingRunnerSet (the ARC
// controller writes the counts into its status), and whether it still is what was approved.

type StatusInput = Pick<RunnerRequest, "status" | "reviewKind" | "approvedSpec" | "clusterId"> &
  Partial<Pick<RunnerRequest, "advanced" | "appliedSettings">>;

type LiveScaleSet = KubernetesObject & {
  spec?: Record<string, unknown>;
  status?: {
    phase?: string;
    currentRunners?: number;
    pendingEphemeralRunners?: number;
    runningEphemeralRunners?: number;
    failedEphemeralRunners?: number;
  };
};

/** The cluster should run exactly the approved spec now (not while it is being applied or after it failed). */
function expectsLive(r: StatusInput): boolean {
  if (r.status === "READY") return true;
  return (r.status === "SUBMITTED" || r.status === "CHANGES_REQUESTED") && r.reviewKind !== "NEW";
}

function hasApprovedScaleSet(r: StatusInput): boolean {
  return !!r.approvedSpec && !["DRAFT", "REJECTED", "DECOMMISSIONED"].includes(r.status);
}

const count = (n: unknown) => (typeof n === "number" && Number.isFinite(n) ? n : 0);

export async function runnerStatus(request: StatusInput, opts: { reviewer: boolean; kube?: Kube | null }): Promise<RunnerStatusReport> {
  const base = { requestStatus: request.status, runners: null, drift: null, reapplyAvailable: false, checkedAt: new Date().toISOString() };
  if (!hasApprovedScaleSet(request)) {
    const message =
      request.status === "DECOMMISSIONED"
        ? "Decommissioned: the scale set has been removed from the cluster."
        : "Live status appears once the request is approved and provisioned.";
    return { ...base, state: "not-provisioned", message };
  }

  let kube: Kube | null;
  try {
    kube = opts.kube !== undefined ? opts.kube : await kubeForClusterId(request.clusterId);
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    return { ...base, state: "off", message: `Provisioning is off: ${err.message}` };
  }
  if (!kube) return { ...base, state: "off", message: provisioningOffNotice() };

  const desired = await desiredForRequest(request);
  const expected = desired.autoscalingRunnerSet;
  const where = `AutoscalingRunnerSet ${expected.metadata.name} in namespace ${expected.metadata.namespace}`;
  let live: LiveScaleSet;
  try {
    live = await kube.objects.read<LiveScaleSet>({
      apiVersion: expected.apiVersion,
      kind: expected.kind,
      metadata: { name: expected.metadata.name, namespace: expected.metadata.namespace },
    });
  } catch (err) {
    if (isNotFound(err)) {
      if (!expectsLive(request)) {
        return { ...base, state: "missing", message: `The ${where} does not exist yet.` };
      }
      const drift: Drift = { missing: true, differences: [], editedBy: [] };
      return {
        ...base,
        state: "missing",
        drift,
        reapplyAvailable: opts.reviewer && request.status === "READY",
        message: `The ${where} is missing from the cluster: no runners can start. A reviewer can re-apply it.`,
      };
    }
    return { ...base, state: "unreachable", message: `Live status is unavailable: ${describeKubeError(err, kube.server).message}.` };
  }

  const s = live.status ?? {};
  const runners: RunnerCounts = {
    phase: s.phase ?? null,
    current: count(s.currentRunners),
    pending: count(s.pendingEphemeralRunners),
    running: count(s.runningEphemeralRunners),
    failed: count(s.failedEphemeralRunners),
    minRunners: count(live.spec?.minRunners),
    maxRunners: count(live.spec?.maxRunners),
  };

  let drift: Drift | null = null;
  if (expectsLive(request)) {
    const differences = driftBetween(expected, live as Record<string, unknown>, ["spec", "metadata.labels", "metadata.annotations"]);
    drift = { missing: false, differences, editedBy: differences.length > 0 ? otherSpecEditors(live.metadata?.managedFields, FIELD_MANAGER) : [] };
  }
  const drifted = !!drift && drift.differences.length > 0;
  const message = drifted
    ? `The ${where} differs from what was approved${drift!.editedBy.length ? ` (edited by ${drift!.editedBy.join(", ")})` : ""}. A reviewer can re-apply the approved spec.`
    : runners.phase
      ? `Scale set ${runners.phase.toLowerCase()}: ${runners.current} of at most ${runners.maxRunners} runners.`
      : "The scale set exists; the ARC controller has not reported its runners yet.";
  return { ...base, state: "live", runners, drift, reapplyAvailable: drifted && opts.reviewer && request.status === "READY", message };
}
