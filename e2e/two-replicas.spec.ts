import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { seal } from "../lib/crypto/aes-gcm";
import { privateKeyFingerprint } from "../lib/crypto/private-key";
import { createPrismaClient } from "../lib/db/client";
import type { PrismaClient } from "../lib/generated/prisma/client";
import { freePort } from "../scripts/db/embedded-postgres";
import { startTestDatabase } from "../test/harness/database";
import { kubeRequest } from "../test/harness/kube-request";
import { renderChart, RELEASE } from "../test/harness/helm";
import { startPortal, type RunningPortal } from "../test/harness/portal";
import { TEST_SECRETS } from "../test/harness/test-env";
import { scaleSetAnswers } from "./scale-set-answers";

// Two portal processes (the standalone server of the production build, as two replicas of the
// Deployment would run it) on one database, provisioning on the real kube-apiserver as the
// portal's ServiceAccount with the RBAC of deploy/chart. Some requests are approved before the
// replicas start (both replicas' reconcilers enqueue them at once), the others through
// the API of alternating replicas. Every request must be provisioned exactly once: one
// pg-boss job, one start, one "provisioned", four steps, and one "job finished" line in the
// two replicas' logs together. Each replica's read caches must learn of the other's writes:
// an approval on one drops the request from the other's cached review queue at once.

type Kube = { server: string; token: string; caData: string };
const kube = () => JSON.parse(process.env.E2E_KUBE!) as Kube;
const RBAC_KINDS = new Set(["ServiceAccount", "ClusterRole", "ClusterRoleBinding"]);

/** Applies the portal's ServiceAccount and RBAC (with namespace creation) and returns a kubeconfig for its token. */
async function portalKubeconfig(file: string): Promise<string> {
  const admin = kube();
  const objects = [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: RELEASE.namespace } },
    ...renderChart({ "rbac.createNamespaces": true }).filter((m) => RBAC_KINDS.has(m.kind)),
  ];
  for (const obj of objects) {
    const [group, version] = obj.apiVersion.includes("/") ? obj.apiVersion.split("/") : ["", obj.apiVersion];
    const plural = `${obj.kind.toLowerCase()}s`;
    const base = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const where = obj.metadata.namespace ? `${base}/namespaces/${obj.metadata.namespace}/${plural}` : `${base}/${plural}`;
    const res = await kubeRequest(admin, "PATCH", `${where}/${encodeURIComponent(obj.metadata.name)}?fieldManager=e2e-replicas&force=true`, obj, "application/apply-patch+yaml");
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }
  const token = await kubeRequest(admin, "POST", "/api/v1/namespaces/arc-runner-portal/serviceaccounts/arc-runner-portal/token", {
    apiVersion: "authentication.k8s.io/v1",
    kind: "TokenRequest",
    spec: { expirationSeconds: 3600 },
  });
  expect(token.status, JSON.stringify(token.body)).toBe(201);
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "e2e", cluster: { server: admin.server, "certificate-authority-data": Buffer.from(admin.caData).toString("base64") } }],
    users: [{ name: "arc-runner-portal", user: { token: token.body.status.token } }],
    contexts: [{ name: "portal", context: { cluster: "e2e", user: "arc-runner-portal" } }],
    "current-context": "portal",
  };
  writeFileSync(file, JSON.stringify(config), { mode: 0o600 });
  return file;
}

function spec(label: string, namespace: string) {
  return scaleSetAnswers({ team: "replicas", label, namespace, githubApp: { appId: "123456", installationId: "98765432" } });
}

async function seedRequest(db: PrismaClient, ids: { teamId: string; requesterId: string; clusterId: string }, status: "SUBMITTED" | "APPROVED") {
  const s = randomBytes(4).toString("hex");
  const answers = spec(`rep-${s}`, `arc-rep-${s}`);
  const pem = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  const request = await db.runnerRequest.create({
    data: {
      status,
      ...ids,
      label: answers.label,
      namespace: answers.namespace,
      spec: answers,
      ...(status === "APPROVED" ? { approvedSpec: answers, approvedAt: new Date() } : {}),
      submittedAt: new Date(),
      privateKeyCiphertext: seal(pem, TEST_SECRETS.ENCRYPTION_KEY),
      privateKeyFingerprint: privateKeyFingerprint(pem),
    },
  });
  await db.labelClaim.create({ data: { clusterId: ids.clusterId, label: answers.label, requestId: request.id } });
  return request.id;
}

const logLines = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

test("two portal processes on one database provision each approved request exactly once", async () => {
  test.setTimeout(240_000);
  const runDir = process.env.E2E_RUN_DIR!;
  const database = await startTestDatabase("replicas");
  const db = createPrismaClient(database.url, 2);
  const replicas: RunningPortal[] = [];
  try {
    const kubeconfig = await portalKubeconfig(path.join(runDir, "replicas-kubeconfig.json"));
    const cluster = await db.cluster.create({ data: { name: "ossci", displayName: "ossci" } });
    const team = await db.team.create({ data: { slug: "replicas", name: "replicas" } });
    const requester = await db.user.create({ data: { login: "replicas-dev", role: "REQUESTER" } });
    const reviewer = await db.user.create({ data: { login: "replicas-rev", role: "REVIEWER" } });
    await db.teamMembership.create({ data: { teamId: team.id, userId: requester.id } });
    const ids = { teamId: team.id, requesterId: requester.id, clusterId: cluster.id };
    const approvedBefore = [];
    for (let i = 0; i < 3; i++) approvedBefore.push(await seedRequest(db, ids, "APPROVED"));
    const submitted = [];
    for (let i = 0; i < 3; i++) submitted.push(await seedRequest(db, ids, "SUBMITTED"));
    const sessionToken = randomBytes(32).toString("hex");
    await db.session.create({ data: { sessionToken, userId: reviewer.id, expires: new Date(Date.now() + 3_600_000) } });

    const env = {
      ...TEST_SECRETS,
      DATABASE_URL: database.url,
      KUBECONFIG: kubeconfig,
      DEFAULT_CLUSTER_NAME: "ossci",
      ARC_ALLOW_CREATE_NAMESPACE: "true",
      GITHUB_URL: process.env.E2E_GITHUB_URL!,
      GITHUB_API_URL: process.env.E2E_GITHUB_API_URL!,
      GITHUB_CLIENT_ID: "replicas-client",
      GITHUB_CLIENT_SECRET: "replicas-secret",
      LOG_LEVEL: "info",
      REVIEWER_LOGINS: "replicas-rev",
    };
    // Started together, so that both reconcilers race for the requests approved before.
    const [portA, portB] = [await freePort(), await freePort()];
    replicas.push(
      ...(await Promise.all([
        startPortal({ port: portA, env, logFile: path.join(runDir, "replica-a.log") }),
        startPortal({ port: portB, env, logFile: path.join(runDir, "replica-b.log") }),
      ])),
    );
    const cookie = `next-auth.session-token=${sessionToken}`;
    const read = async (replica: RunningPortal, p: string) => {
      const res = await fetch(`${replica.url}${p}`, { headers: { cookie } });
      expect(res.status, p).toBe(200);
      return (await res.json()) as { requests: { id: string; status: string }[] };
    };
    const queueIds = async (replica: RunningPortal) => (await read(replica, "/api/review?status=SUBMITTED")).requests.map((r) => r.id);
    const cacheHits = async (replica: RunningPortal, cache: string) => {
      const text = await (await fetch(`${replica.url}/api/metrics`)).text();
      return Number(new RegExp(`^arc_portal_read_cache_reads_total\\{cache="${cache}",result="hit"\\} (\\d+)`, "m").exec(text)?.[1] ?? 0);
    };
    // Both replicas hold the queue in memory (their change feeds connect on first use).
    for (const replica of replicas) {
      await expect
        .poll(async () => {
          await queueIds(replica);
          return cacheHits(replica, "review-queues");
        }, { timeout: 10_000 })
        .toBeGreaterThan(0);
      expect((await queueIds(replica)).sort()).toEqual([...submitted].sort());
    }
    for (const [i, id] of submitted.entries()) {
      const [replica, other] = [replicas[i % 2]!, replicas[(i + 1) % 2]!];
      const res = await fetch(`${replica.url}/api/requests/${id}/actions`, {
        method: "POST",
        headers: { "content-type": "application/json", cookie, origin: replica.url },
        body: JSON.stringify({ action: "approve" }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect(await queueIds(replica), "the approving replica reads its own write").not.toContain(id);
      await expect.poll(() => queueIds(other), { timeout: 2_000, message: "the other replica's cached queue drops it" }).not.toContain(id);
    }

    const all = [...approvedBefore, ...submitted];
    await expect
      .poll(async () => (await db.runnerRequest.findMany({ where: { id: { in: all } }, select: { status: true } })).map((r) => r.status).sort(), { timeout: 120_000 })
      .toEqual(all.map(() => "READY"));

    // The workers' status changes reach both replicas' cached lists too.
    for (const replica of replicas) {
      await expect
        .poll(async () => (await read(replica, "/api/requests")).requests.filter((r) => all.includes(r.id)).map((r) => r.status), { timeout: 5_000 })
        .toEqual(all.map(() => "READY"));
    }

    const logs = replicas.map((r) => logLines(r.logFile));
    for (const lines of logs) expect(lines.some((l) => l.msg === "provisioning worker started")).toBe(true);
    const ranBy: Record<string, string[]> = {};
    for (const id of all) {
      const jobs = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM pgboss.job WHERE singleton_key = $1`, id);
      expect(jobs[0]!.n, `pg-boss jobs for ${id}`).toBe(1);
      const events = await db.requestEvent.findMany({ where: { requestId: id }, select: { type: true } });
      const count = (type: string) => events.filter((e) => e.type === type).length;
      expect({ id, start: count("start_provisioning"), provisioned: count("provisioned"), steps: count("provision_step") }).toEqual({ id, start: 1, provisioned: 1, steps: 4 });
      ranBy[id] = logs.flatMap((lines, i) => lines.filter((l) => l.msg === "provisioning job finished" && l.requestId === id).map(() => (i === 0 ? "A" : "B")));
      expect(ranBy[id], `replicas that ran ${id}`).toHaveLength(1);
    }
    const share = Object.values(ranBy).flat();
    test.info().annotations.push({ type: "jobs per replica", description: `A: ${share.filter((r) => r === "A").length}, B: ${share.filter((r) => r === "B").length}` });
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await db.$disconnect();
    await database.stop();
  }
});
