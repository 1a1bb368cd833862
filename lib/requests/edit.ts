import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { db } from "@/lib/db";
import type { Prisma, RunnerRequest } from "@/lib/generated/prisma/client";
import { conflict, forbiddenError, notFoundError, unprocessable } from "@/lib/http-errors";
import { open } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import { consume, LIMITS } from "@/lib/rate-limit";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { limitsOn } from "@/lib/clusters/settings";
import { clusterName, preferredClusterOf, registeredCluster, type ClusterRow } from "./cluster-choice";
import { parseRequest, storedSpec, type ParsedRequest } from "./create";
import { appKeyFromCluster } from "./cluster-app-key";
import { checkWarning, refuseIfFailed, runGitHubCheck } from "./github-checks";
import { requireRequestId } from "./request-id";
import { diffSpecs } from "./spec-diff";
import type { StoredSpec } from "./stored-spec";
import type { Action } from "./state-machine";
import { performTransition } from "./transition";
import { enforceTeamCeilings } from "./team-ceilings";
import { settingsOf } from "@/lib/clusters/cluster-settings";
import { visibleTo } from "./visibility";

// A team edits its answers: a draft (saved, or submitted), a request sent back
// for changes (resubmitted), or a live scale set (a change request, reviewed
// again). The label and namespace of a live scale set stay as they are.

export type EditIntent = "save" | "submit";

function body(raw: unknown): { answers: unknown; intent: EditIntent; version?: number } {
  const r = (raw ?? {}) as { intent?: unknown; version?: unknown };
  if (r.intent !== undefined && r.intent !== "save" && r.intent !== "submit") {
    throw unprocessable("intent must be save or submit.", { intent: ["intent must be save or submit"] });
  }
  // The column is a 32-bit integer; anything outside it cannot be a version anyone saw.
  if (r.version !== undefined && !(Number.isInteger(r.version) && (r.version as number) > 0 && (r.version as number) <= 2_147_483_647)) {
    throw unprocessable("version must be the request version you saw.", { version: ["version must be a whole number"] });
  }
  return { answers: raw, intent: (r.intent as EditIntent) ?? "submit", version: r.version as number | undefined };
}

function actionFor(request: RunnerRequest, intent: EditIntent): Action | null {
  if (request.status === "DRAFT") return intent === "submit" ? "submit" : null;
  if (request.status === "CHANGES_REQUESTED") return "resubmit";
  if (request.status === "READY") return "request_change";
  throw conflict(`A request that is ${request.status.toLowerCase().replace(/_/g, " ")} cannot be edited.`);
}

/** The new answers as stored, keeping the current key when no new one was given. */
function nextSpec(request: RunnerRequest, p: ParsedRequest) {
  const keyFingerprint = p.key?.fingerprint ?? request.privateKeyFingerprint;
  const spec = storedSpec(p, keyFingerprint);
  return {
    spec,
    data: {
      spec: spec as unknown as Prisma.InputJsonValue,
      label: spec.label,
      namespace: spec.namespace,
      ...(p.key ? { privateKeyCiphertext: p.key.sealed, privateKeyFingerprint: p.key.fingerprint } : {}),
    },
    changes: diffSpecs(request.spec as unknown as StoredSpec, spec),
  };
}

function requireForReview(request: RunnerRequest, p: ParsedRequest) {
  const missing: Record<string, string[]> = {};
  if (!p.app.appId) missing["githubApp.appId"] = ["App ID is required"];
  if (!p.app.installationId) missing["githubApp.installationId"] = ["Installation ID is required"];
  if (!p.key && !request.privateKeyFingerprint) missing["githubApp.privateKey"] = ["Private key is required"];
  if (Object.keys(missing).length) throw unprocessable("Some answers need fixing.", missing);
}

export async function editRequest(actor: Actor, requestId: string, raw: unknown) {
  requireRequestId(requestId);
  const { answers, intent, version } = body(raw);
  const request = await db.runnerRequest.findFirst({ where: { AND: [{ id: requestId }, visibleTo(actor)] } });
  if (!request) throw notFoundError(`Request ${requestId} was not found, or it belongs to another team.`);
  if (!actor.teamIds.includes(request.teamId)) throw forbiddenError("Only members of the request's team can edit it.");
  const action = actionFor(request, intent);
  const cluster = await clusterChange(request, await preferredClusterOf(raw));
  const targetCluster = cluster?.target ?? (await registeredCluster(request.clusterId, "clusterId"));
  const targetSettings = settingsOf(targetCluster);
  const p = parseRequest(answers, "draft", limitsOn(targetSettings));
  if (action) requireForReview(request, p);
  if (action === "request_change") {
    const live = request.approvedSpec as unknown as StoredSpec;
    const moved: Record<string, string[]> = {};
    if (p.answers.label !== live.label) moved.label = [`Runner label stays "${live.label}" for a running scale set; ask for a new request to get a new label`];
    if (p.answers.namespace !== live.namespace) moved.namespace = [`Namespace stays "${live.namespace}" for a running scale set`];
    if (Object.keys(moved).length) throw unprocessable("A change keeps the label and namespace.", moved);
  }
  if (p.answers.team !== (request.spec as unknown as StoredSpec).team) {
    throw unprocessable("The team of a request cannot change.", { team: ["Team name cannot change after the request is created"] });
  }

  if (!action) {
    // Saving a draft is not a status change, but it is a change: it goes on the timeline.
    await consume(LIMITS.draftSave, actor.id);
    const next = nextSpec(request, p);
    // A save that changes nothing writes nothing: no version, no timeline entry (the timeline is append-only).
    const changes = { ...next.changes, ...cluster?.changes };
    if (Object.keys(changes).length === 0) {
      if (version !== undefined && version !== request.version) throw conflict("Someone else changed this draft first. Reload to see the current answers.");
      return request;
    }
    return db.$transaction(async (tx) => {
      const updated = await tx.runnerRequest.updateMany({
        where: { id: request.id, version: version ?? request.version, status: "DRAFT" },
        data: { ...next.data, ...cluster?.data, version: { increment: 1 } },
      });
      if (updated.count !== 1) throw conflict("Someone else changed this draft first. Reload to see the current answers.");
      await appendEvent(tx, { requestId: request.id, actorId: actor.id, type: "edited", changes });
      return tx.runnerRequest.findUniqueOrThrow({ where: { id: request.id } });
    });
  }
  // Before GitHub is asked: a request over its team's ceiling cannot go to review.
  const team = await db.team.findUniqueOrThrow({ where: { id: request.teamId }, select: { id: true, name: true } });
  await enforceTeamCeilings(db, {
    team,
    cluster: { id: targetCluster.id, name: clusterName(targetCluster) },
    settings: targetSettings,
    request: { maxRunners: p.answers.maxRunners, gpus: p.answers.gpus },
    requestId: request.id,
  });
  // Submitting again means asking GitHub again, with the new key or the stored one.
  const pem = p.pem ?? (request.privateKeyCiphertext ? open(request.privateKeyCiphertext, env().ENCRYPTION_KEY) : null);
  // A provisioned request's key is in its cluster Secret: read only if a private repository needs it.
  const check = await runGitHubCheck(actor, { ...p.app, githubConfigUrl: p.answers.githubConfigUrl }, pem, () =>
    appKeyFromCluster({ ...request, spec: request.spec as unknown as StoredSpec }),
  );
  refuseIfFailed(check);
  const result = await performTransition({
    requestId,
    action,
    actor,
    expectedVersion: version,
    alsoUpdate: async (current) => {
      const next = nextSpec(current, p);
      return {
        data: { ...next.data, ...cluster?.data, githubCheck: check as unknown as Prisma.InputJsonValue },
        changes: { ...next.changes, ...cluster?.changes },
        message: checkWarning(check) ?? undefined,
      };
    },
  });
  return result.request;
}

/**
 * A new cluster preference. Before review the request follows it (no preference: the default
 * cluster); a provisioned scale set stays on its cluster, so a change may not ask for another.
 */
async function clusterChange(request: RunnerRequest, preferred: ClusterRow | null | undefined) {
  if (preferred === undefined) return null;
  if (request.status === "READY") {
    if (preferred && preferred.id !== request.clusterId) {
      throw unprocessable("The cluster is fixed once the scale set is provisioned.", {
        preferredClusterId: ["The cluster is fixed once provisioned; ask for a new request to run on another cluster"],
      });
    }
    return null;
  }
  if ((preferred?.id ?? null) === request.preferredClusterId) return null;
  const target = preferred ?? (await defaultCluster());
  const before = request.preferredClusterId ? await db.cluster.findUnique({ where: { id: request.preferredClusterId }, select: { name: true, displayName: true } }) : null;
  return {
    target,
    data: { preferredClusterId: preferred?.id ?? null, clusterId: target.id },
    changes: { preferredCluster: { before: before ? clusterName(before) : "no preference", after: preferred ? clusterName(preferred) : "no preference" } },
  };
}
