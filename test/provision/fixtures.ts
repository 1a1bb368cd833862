// Rows and cluster objects for the provisioning tests: requests stored the way
// lib/requests/create.ts stores them, approved, and ARC status written the way the
// controller writes it.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { expect } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { appendEvent } from "@/lib/audit";
import { seal } from "@/lib/crypto/secret-box";
import { privateKeyFingerprint } from "@/lib/crypto/private-key";
import { db } from "@/lib/db";
import type { Prisma, RequestStatus } from "@/lib/generated/prisma/client";
import type { StoredSpec } from "@/lib/requests/stored-spec";
import type { KubeCluster } from "@/test/harness/kube";
import { arsPath, kubeRequest } from "@/test/harness/kube-request";

export { arsPath, kubeRequest };
export { setEnv } from "@/test/harness/set-env";

export const suffix = () => randomBytes(4).toString("hex");

/** A fresh RSA key in the PEM the form stores (normalised, trailing newline). */
export function testPem(): string {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return `${privateKey.export({ type: "pkcs1", format: "pem" }).toString().trim()}\n`;
}

export async function testCluster(prefix: string) {
  return db.cluster.create({ data: { name: `${prefix}-${suffix()}`, displayName: prefix } });
}

export interface People {
  teamId: string;
  requester: Actor;
  reviewer: Actor;
}

export async function people(): Promise<People> {
  const s = suffix();
  const team = await db.team.create({ data: { slug: `team-${s}`, name: `Team ${s}` } });
  const requester = await db.user.create({ data: { login: `dev-${s}`, role: "REQUESTER" } });
  const reviewer = await db.user.create({ data: { login: `rev-${s}`, role: "REVIEWER" } });
  await db.teamMembership.create({ data: { teamId: team.id, userId: requester.id } });
  return {
    teamId: team.id,
    requester: { id: requester.id, login: requester.login, name: null, role: "REQUESTER", teamIds: [team.id] },
    reviewer: { id: reviewer.id, login: reviewer.login, name: null, role: "REVIEWER", teamIds: [] },
  };
}

export function testSpec(label: string, namespace: string, overrides: Partial<StoredSpec> = {}): StoredSpec {
  return {
    team: "nod-ai (SHARK)",
    contact: "@octocat",
    githubConfigUrl: "https://github.com/nod-ai/shark-ai",
    label,
    namespace,
    memory: "128Gi",
    cpu: "16",
    gpus: 2,
    minRunners: 0,
    maxRunners: 6,
    docker: false,
    githubApp: { appId: "123456", installationId: "98765432" },
    ...overrides,
  } as StoredSpec;
}

/** A request as the approve action leaves it: APPROVED, approvedSpec = spec, the key sealed. */
export async function approvedRequest(
  p: People,
  clusterId: string,
  spec: StoredSpec,
  opts: { pem?: string | null; status?: RequestStatus } = {},
) {
  const pem = opts.pem === undefined ? testPem() : opts.pem;
  const status = opts.status ?? "APPROVED";
  const request = await db.runnerRequest.create({
    data: {
      status,
      teamId: p.teamId,
      requesterId: p.requester.id,
      clusterId,
      label: spec.label,
      namespace: spec.namespace,
      spec: spec as unknown as Prisma.InputJsonValue,
      approvedSpec: spec as unknown as Prisma.InputJsonValue,
      approvedAt: new Date(),
      submittedAt: new Date(),
      privateKeyCiphertext: pem ? seal(pem, process.env.ENCRYPTION_KEY!) : null,
      privateKeyFingerprint: pem ? privateKeyFingerprint(pem) : null,
    },
  });
  await db.labelClaim.create({ data: { clusterId, label: spec.label, requestId: request.id } });
  await appendEvent(db, { requestId: request.id, actorId: p.reviewer.id, type: "approve", from: "SUBMITTED", to: "APPROVED" });
  return { request, pem };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the request reaches one of `statuses`; fails with its timeline otherwise. */
export async function waitForStatus(requestId: string, statuses: RequestStatus[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.runnerRequest.findUniqueOrThrow({ where: { id: requestId } });
    if (statuses.includes(r.status)) return r;
    if (Date.now() > deadline) {
      const events = await timeline(requestId);
      expect.fail(`request stayed ${r.status}, wanted ${statuses.join("/")}; timeline:\n${events.map((e) => `${e.type}: ${e.message ?? ""}`).join("\n")}`);
    }
    await sleep(200);
  }
}

export async function timeline(requestId: string) {
  return db.requestEvent.findMany({ where: { requestId }, orderBy: { createdAt: "asc" } });
}

/** Writes AutoscalingRunnerSet status through the status subresource, as the ARC controller does. */
export async function writeScaleSetStatus(cluster: KubeCluster, namespace: string, name: string, status: Record<string, unknown>) {
  const res = await kubeRequest(cluster, "PATCH", `${arsPath(namespace, name)}/status`, { status }, "application/merge-patch+json");
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
