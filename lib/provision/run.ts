import "server-only";
import { db } from "@/lib/db";
import type { Prisma, RunnerRequest } from "@/lib/generated/prisma/client";
import { HttpError } from "@/lib/http-errors";
import type { Kube } from "@/lib/kube/client";
import { log } from "@/lib/log";
import { performTransition } from "@/lib/requests/transition";
import { adoptFromManagers, helmLeftoversAfterDecommission, helmReleaseRecordsAdvice } from "@/lib/requests/helm-release";
import { applyScaleSet, type StepContext, type StepName } from "./apply";
import { decommissionScaleSet } from "./decommission";
import { desiredForRequest, type Desired } from "./desired";
import { ProvisionError } from "./errors";
import { record } from "./timeline";

// One provisioning attempt for a request: APPROVED → PROVISIONING, the steps, then READY
// (or DECOMMISSIONED), or FAILED with the reason. Transient trouble is recorded and thrown
// back to pg-boss, which retries with backoff until the attempt limit; then FAILED too.

export interface Attempt {
  /** 0 on the first attempt. */
  retryCount: number;
  /** Attempts after the first that pg-boss will make. */
  retryLimit: number;
}

export interface RunOptions {
  kube: Kube;
  /** Only requests on this cluster are provisioned by this worker. */
  clusterId: string;
  scaleSetGoneTimeoutMs?: number;
  afterStep?: (step: StepName, requestId: string) => Promise<void>;
}

export type RunOutcome = "ready" | "decommissioned" | "failed" | "skipped";

/** Thrown back to pg-boss so that it retries the job later. */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}

async function startProvisioning(request: RunnerRequest): Promise<RunnerRequest | null> {
  if (request.status === "PROVISIONING") return request;
  if (request.status !== "APPROVED") return null;
  try {
    return (await performTransition({ requestId: request.id, action: "start_provisioning", actor: null })).request;
  } catch (err) {
    // Another replica, or a person, moved it first: go by what it is now.
    if (err instanceof HttpError && err.status === 409) {
      const now = await db.runnerRequest.findUnique({ where: { id: request.id } });
      return now?.status === "PROVISIONING" ? now : null;
    }
    throw err;
  }
}

/** Whether the approval this run carries out was a reviewer's re-apply or retry (see serverSideApply). */
async function reviewerAskedToRestore(requestId: string): Promise<boolean> {
  const approval = await db.requestEvent.findFirst({
    where: { requestId, toStatus: "APPROVED" },
    orderBy: { createdAt: "desc" },
    select: { type: true },
  });
  return approval?.type === "reapply" || approval?.type === "retry";
}

/**
 * The managers to take an imported scale set over from: only when the request is marked as
 * imported and not yet taken over (adoptFrom), and only on a reviewer's re-apply or retry, the
 * explicit decision. A change's approval, or any request the portal created, never forces.
 */
function adoption(request: RunnerRequest, reviewerAsked: boolean): string[] | undefined {
  if (!reviewerAsked || !request.adoptFrom || request.reviewKind === "DECOMMISSION") return undefined;
  return adoptFromManagers(request.adoptFrom);
}

/** What the team must know after a take-over: helm no longer manages this scale set. */
function adoptedNotice(request: RunnerRequest, managers: string[]): string {
  const release = request.label;
  const ns = request.namespace;
  return (
    `The portal took this scale set over from ${managers.join(", ")} and manages it from now on. ` +
    `Stop using helm for release ${release}: a \`helm upgrade\` would overwrite the portal's values without warning. ` +
    `To make helm forget the release while keeping the scale set, delete its release records: ${helmReleaseRecordsAdvice(release, ns)}. ` +
    `Do not run \`helm uninstall\`, not even with --keep-history: it deletes the scale set's objects.`
  );
}

function asProblem(err: unknown): ProvisionError {
  if (err instanceof ProvisionError) return err;
  // A bug or the database: worth another attempt, and never a stack trace on the timeline.
  log.error("provisioning error", { error: (err as Error)?.message, stack: (err as Error)?.stack });
  return new ProvisionError(`Unexpected error: ${(err as Error)?.message ?? String(err)}`, true);
}

export async function runProvisioning(requestId: string, attempt: Attempt, opts: RunOptions): Promise<RunOutcome> {
  const found = await db.runnerRequest.findUnique({ where: { id: requestId } });
  if (!found || found.clusterId !== opts.clusterId) return "skipped";
  const request = await startProvisioning(found);
  if (!request) return "skipped";

  let desired: Desired | undefined;
  let adopted: string[] | undefined;
  try {
    let takeOver: boolean;
    [desired, takeOver] = await Promise.all([desiredForRequest(request), reviewerAskedToRestore(request.id)]);
    adopted = adoption(request, takeOver);
    const ctx: StepContext = {
      kube: opts.kube,
      request,
      desired,
      takeOver,
      adoptFrom: adopted,
      afterStep: opts.afterStep ? (step) => opts.afterStep!(step, request.id) : undefined,
    };
    if (request.reviewKind === "DECOMMISSION") {
      await decommissionScaleSet(ctx, { scaleSetGoneTimeoutMs: opts.scaleSetGoneTimeoutMs ?? 120_000 });
    } else {
      await applyScaleSet(ctx);
    }
  } catch (err) {
    const problem = asProblem(err);
    const attemptNo = attempt.retryCount + 1;
    const attempts = attempt.retryLimit + 1;
    if (problem.transient && attempt.retryCount < attempt.retryLimit) {
      await record(request.id, "provision_retry", `${problem.message}\nAttempt ${attemptNo} of ${attempts}; trying again with backoff.`);
      throw new RetryLater(problem.message);
    }
    const gaveUp = problem.transient ? `${problem.message}\nGave up after ${attempts} attempts.` : problem.message;
    const reason =
      request.adoptFrom && !adopted
        ? `${gaveUp}\nThis scale set was imported and still belongs to ${request.adoptFrom}: a reviewer's retry takes it over.`
        : gaveUp;
    await performTransition({ requestId: request.id, action: "provisioning_failed", actor: null, reason });
    return "failed";
  }

  const summary =
    request.reviewKind === "DECOMMISSION"
      ? [`Scale set ${request.label} removed from namespace ${request.namespace}.`, helmLeftoversAfterDecommission(request)].filter(Boolean).join("\n")
      : `Scale set ${request.label} is in place in namespace ${request.namespace}; workflows can use runs-on: ${request.label}.`;
  // The settings the scale set now runs with: a later change of the cluster's settings
  // alters nothing until a reviewer re-applies (lib/clusters/request-settings.ts).
  const recordSettings = request.reviewKind !== "DECOMMISSION" && request.appliedSettings === null && desired;
  const done = await performTransition({
    requestId: request.id,
    action: "provisioned",
    actor: null,
    reason: adopted ? `${summary}\n${adoptedNotice(request, adopted)}` : summary,
    alsoUpdate:
      recordSettings || adopted
        ? async () => ({
            data: {
              ...(recordSettings ? { appliedSettings: desired.settings as unknown as Prisma.InputJsonValue } : {}),
              // From now on the portal's own: the normal rules (never force a foreign field).
              ...(adopted ? { adoptFrom: null } : {}),
            },
          })
        : undefined,
  });
  return done.request.status === "DECOMMISSIONED" ? "decommissioned" : "ready";
}
