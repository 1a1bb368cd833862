import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { seal } from "@/lib/crypto/secret-box";
import { privateKeyFingerprint, privateKeyProblem } from "@/lib/crypto/private-key";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { Prisma } from "@/lib/generated/prisma/client";
import { conflict, issuesByField, unprocessable } from "@/lib/http-errors";
import { notifyTransition } from "@/lib/notify/notify-transition";
import { settingsOf } from "@/lib/clusters/cluster-settings";
import { limitsOn } from "@/lib/clusters/settings";
import { clusterName, preferredClusterOf } from "./cluster-choice";
import { checkWarning, refuseIfFailed, runGitHubCheck } from "./github-checks";
import { draftRequestSchema, requestSchema, type RequestLimits } from "./schema";
import type { StoredSpec } from "./stored-spec";
import { claimNamespace } from "./namespace-claim";
import { teamForRequest } from "./team";
import { enforceTeamCeilings } from "./team-ceilings";

export type SubmitMode = "submit" | "draft";

/** Validates like the form does, then parses the private key for real (server only). */
export function parseRequest(body: unknown, mode: SubmitMode, limits: RequestLimits) {
  const parsed = (mode === "submit" ? requestSchema(limits) : draftRequestSchema(limits)).safeParse(body);
  if (!parsed.success) throw unprocessable("Some answers need fixing.", issuesByField(parsed.error.issues, "request"));
  const { githubApp, ...answers } = parsed.data;
  const pem = githubApp?.privateKey;
  if (pem) {
    const problem = privateKeyProblem(pem);
    if (problem) throw unprocessable("Some answers need fixing.", { "githubApp.privateKey": [problem] });
  }
  return {
    answers,
    app: { appId: githubApp?.appId ?? null, installationId: githubApp?.installationId ?? null },
    key: pem ? { sealed: seal(pem, env().ENCRYPTION_KEY), fingerprint: privateKeyFingerprint(pem) } : null,
    /** In memory only, for the GitHub check; never stored or returned. */
    pem: pem ?? null,
  };
}

export type ParsedRequest = ReturnType<typeof parseRequest>;

/** The stored form answers: everything but the private key, of which only the fingerprint. */
export function storedSpec(p: ParsedRequest, keyFingerprint: string | null): StoredSpec {
  return { ...p.answers, githubApp: { ...p.app, keyFingerprint } } as StoredSpec;
}

/** Reserves the label on the cluster for this request, or says who holds it. */
export async function claimLabel(tx: Prisma.TransactionClient, clusterId: string, label: string, requestId: string) {
  const holder = await tx.labelClaim.findUnique({ where: { clusterId_label: { clusterId, label } } });
  if (holder && holder.requestId !== requestId) throw labelConflict(label);
  if (!holder) await tx.labelClaim.create({ data: { clusterId, label, requestId } });
}

export async function createRequest(actor: Actor, body: unknown, mode: SubmitMode) {
  // The request targets the requester's preferred cluster until a reviewer decides.
  const preferred = await preferredClusterOf(body);
  const cluster = preferred ?? (await defaultCluster());
  const settings = settingsOf(cluster);
  const p = parseRequest(body, mode, limitsOn(settings));
  if (mode === "submit" && !p.key) {
    throw unprocessable("Some answers need fixing.", { "githubApp.privateKey": ["Private key is required"] });
  }
  const status = mode === "submit" ? "SUBMITTED" : "DRAFT";
  const check = mode === "submit" ? await runGitHubCheck(actor, { ...p.app, githubConfigUrl: p.answers.githubConfigUrl }, p.pem) : null;
  if (check) refuseIfFailed(check);
  try {
    const created = await db.$transaction(async (tx) => {
      const team = await teamForRequest(tx, actor, p.answers.team);
      if (mode === "submit") {
        await enforceTeamCeilings(tx, {
          team,
          cluster: { id: cluster.id, name: clusterName(cluster) },
          settings,
          request: { maxRunners: p.answers.maxRunners, gpus: p.answers.gpus },
        });
      }
      const request = await tx.runnerRequest.create({
        data: {
          status,
          teamId: team.id,
          requesterId: actor.id,
          clusterId: cluster.id,
          preferredClusterId: preferred?.id ?? null,
          label: p.answers.label,
          namespace: p.answers.namespace,
          spec: storedSpec(p, p.key?.fingerprint ?? null) as Prisma.InputJsonValue,
          privateKeyCiphertext: p.key?.sealed ?? null,
          privateKeyFingerprint: p.key?.fingerprint ?? null,
          submittedAt: mode === "submit" ? new Date() : null,
          submittedById: mode === "submit" ? actor.id : null,
          githubCheck: (check ?? undefined) as Prisma.InputJsonValue | undefined,
        },
      });
      if (mode === "submit") {
        await claimLabel(tx, cluster.id, p.answers.label, request.id);
        await claimNamespace(tx, { clusterId: cluster.id, namespace: p.answers.namespace, teamId: team.id });
      }
      await appendEvent(tx, {
        requestId: request.id,
        actorId: actor.id,
        type: mode === "submit" ? "submitted" : "draft_saved",
        to: status,
        message: [p.key ? `GitHub App key ${p.key.fingerprint}` : null, check ? checkWarning(check) : null].filter(Boolean).join("\n") || null,
      });
      return { id: request.id, number: request.number, status: request.status };
    });
    if (created.status === "SUBMITTED") void notifyTransition(created.id, "SUBMITTED", actor.id, null);
    return created;
  } catch (err) {
    throw labelTaken(err, p.answers.label);
  }
}

function labelConflict(label: string) {
  return conflict(`Runner label "${label}" is already used on this cluster.`, {
    label: [`Runner label "${label}" is already taken on this cluster; choose another label`],
  });
}

/** A unique-label race lost at the database reads as the same 409 as a checked one. */
function labelTaken(err: unknown, label: string): unknown {
  return (err as { code?: string }).code === "P2002" ? labelConflict(label) : err;
}
