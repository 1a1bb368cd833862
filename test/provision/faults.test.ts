// Durability and faults against a real kube-apiserver: the API server stops in the middle
// of provisioning and comes back; it stays away past the retry limit; two replicas share a
// queue; the worker restarts with work left in PostgreSQL; jobs start without waiting for a poll.
import type { KubernetesObject } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import type { StepName } from "@/lib/provision/apply";
import { ProvisioningQueue } from "@/lib/provision/queue";
import { ProvisioningWorker, type WorkerOptions } from "@/lib/provision/worker";
import { performTransition } from "@/lib/requests/transition";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { approvedRequest, people, setEnv, suffix, testCluster, testSpec, timeline, waitForStatus, type People } from "./fixtures";

let cluster: KubeCluster;
let restoreEnv: (() => void) | undefined;
let kube: Kube;
let p: People;
const workers: ProvisioningWorker[] = [];

const FAST = { retryDelaySeconds: 1, retryDelayMaxSeconds: 2, heartbeatSeconds: 10 };

async function startWorker(clusterRow: { id: string; name: string }, extra: Partial<WorkerOptions> = {}) {
  const w = new ProvisioningWorker({
    databaseUrl: process.env.DATABASE_URL!,
    kube,
    cluster: clusterRow,
    settings: { ...FAST, retryLimit: 6 },
    pollingIntervalSeconds: 0.5,
    reconcileIntervalSeconds: 0,
    ...extra,
  });
  await w.start();
  workers.push(w);
  return w;
}

async function stopWorker(w: ProvisioningWorker) {
  await w.stop();
  workers.splice(workers.indexOf(w), 1);
}

function fresh(prefix: string) {
  const s = suffix();
  return testSpec(`${prefix}-${s}`, `ns-${prefix}-${s}`);
}

/** Every object of the scale set in its namespace, by kind: exactly one each, or duplicates show. */
async function objectsOf(namespace: string, label: string) {
  const count = async (apiVersion: string, kind: string) =>
    (await kube.objects.list<KubernetesObject>(apiVersion, kind, namespace, undefined, undefined, undefined, undefined, `app.kubernetes.io/instance=${label}`)).items.length;
  return {
    Secret: await count("v1", "Secret"),
    ServiceAccount: await count("v1", "ServiceAccount"),
    Role: await count("rbac.authorization.k8s.io/v1", "Role"),
    RoleBinding: await count("rbac.authorization.k8s.io/v1", "RoleBinding"),
    AutoscalingRunnerSet: await count("actions.github.com/v1alpha1", "AutoscalingRunnerSet"),
  };
}
const ONE_EACH = { Secret: 1, ServiceAccount: 1, Role: 1, RoleBinding: 1, AutoscalingRunnerSet: 1 };

beforeAll(async () => {
  cluster = await startKube();
  // Only warnings (retries) from the worker in the test output.
  restoreEnv = setEnv({ KUBECONFIG: cluster.kubeconfigPath, LOG_LEVEL: "warn" });
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }), { requestTimeoutMs: 5_000 });
  p = await people();
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await cluster?.stop();
  restoreEnv?.();
});

describe("API server outages", () => {
  it("stops mid-provisioning and comes back: the job completes, nothing is duplicated, the timeline shows the retries", async () => {
    const clusterRow = await testCluster("outage");
    let interrupted: string | undefined;
    let restarted: Promise<void> | undefined;
    const afterStep = async (step: StepName, requestId: string) => {
      // After the Secret (and the key hand-over), before the RBAC objects.
      if (step !== "secret" || interrupted) return;
      interrupted = requestId;
      await cluster.stopApiserver();
      restarted = new Promise((r) => setTimeout(r, 3_000)).then(() => cluster.startApiserver());
    };
    // A generous budget: on a loaded machine the API server can take a while to come back.
    const w = await startWorker(clusterRow, { afterStep, settings: { ...FAST, retryLimit: 12 } });
    const spec = fresh("outage");
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    await w.enqueue(request.id);

    const done = await waitForStatus(request.id, ["READY", "FAILED"], 90_000);
    await restarted;
    expect(interrupted).toBe(request.id);
    const why = (await timeline(request.id)).map((e) => `${e.type}: ${e.message ?? ""}`).join("\n");
    expect(done.status, why).toBe("READY");
    expect(done.privateKeyCiphertext).toBeNull();

    const events = await timeline(request.id);
    const retries = events.filter((e) => e.type === "provision_retry");
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(retries[0]!.message).toMatch(/^Applying ServiceAccount .* failed: The Kubernetes API server at https:\/\/127\.0\.0\.1:\d+ refused the connection \(connect ECONNREFUSED/);
    expect(retries[0]!.message).toContain("Attempt 1 of 13; trying again with backoff.");
    // The key was handed over once; after the outage the Secret already in the cluster was kept.
    expect(events.filter((e) => e.type === "key_deleted")).toHaveLength(1);
    expect(events.some((e) => e.message?.includes("kept: this request carries no new private key"))).toBe(true);
    expect(events.filter((e) => e.type === "start_provisioning")).toHaveLength(1);
    expect(events.at(-1)!.type).toBe("provisioned");

    expect(await objectsOf(spec.namespace, spec.label)).toEqual(ONE_EACH);
    expect((await w.queue.jobsFor(request.id)).map((j) => j.state)).toEqual(["completed"]);
    await stopWorker(w);
  }, 120_000);

  it("stays away past the retry limit: FAILED with the connection error; a reviewer's retry then succeeds without duplicates", async () => {
    const clusterRow = await testCluster("down");
    const w = await startWorker(clusterRow, { settings: { ...FAST, retryLimit: 1 } });
    const spec = fresh("down");
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    await cluster.stopApiserver();
    try {
      await w.enqueue(request.id);
      const failed = await waitForStatus(request.id, ["FAILED", "READY"], 60_000);
      expect(failed.status).toBe("FAILED");
    } finally {
      await cluster.startApiserver();
    }
    const events = await timeline(request.id);
    expect(events.filter((e) => e.type === "provision_retry")).toHaveLength(1);
    const last = events.at(-1)!;
    expect(last.type).toBe("provisioning_failed");
    expect(last.message).toMatch(/refused the connection \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)\nGave up after 2 attempts\.$/);
    // Nothing reached the cluster, so the key is still only in the database.
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: request.id } })).privateKeyCiphertext).not.toBeNull();

    await performTransition({ requestId: request.id, action: "retry", actor: p.reviewer });
    await w.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"], 60_000)).status).toBe("READY");
    // And a second retry-style run (re-apply) duplicates nothing either.
    await performTransition({ requestId: request.id, action: "reapply", actor: p.reviewer });
    await w.enqueue(request.id);
    expect((await waitForStatus(request.id, ["READY", "FAILED"], 60_000)).status).toBe("READY");
    expect(await objectsOf(spec.namespace, spec.label)).toEqual(ONE_EACH);
    await stopWorker(w);
  }, 120_000);
});

describe("durable queue", () => {
  it("runs a job once with two replicas, however often it is enqueued", async () => {
    const clusterRow = await testCluster("replicas");
    const [a, b] = [await startWorker(clusterRow), await startWorker(clusterRow)];
    const spec = fresh("twice");
    const { request } = await approvedRequest(p, clusterRow.id, spec);
    const ids = await Promise.all([a.enqueue(request.id), b.enqueue(request.id), a.enqueue(request.id)]);
    expect(ids.filter(Boolean)).toHaveLength(1);
    expect((await waitForStatus(request.id, ["READY", "FAILED"])).status).toBe("READY");

    const events = await timeline(request.id);
    expect(events.filter((e) => e.type === "start_provisioning")).toHaveLength(1);
    expect(events.filter((e) => e.type === "provisioned")).toHaveLength(1);
    expect(events.filter((e) => e.type === "provision_step")).toHaveLength(4);
    expect(await a.queue.jobsFor(request.id)).toHaveLength(1);
    await Promise.all([stopWorker(a), stopWorker(b)]);
  });

  it("keeps queued work across a restart, and the reconciler enqueues approved requests that have no job", async () => {
    const clusterRow = await testCluster("restart");
    // No worker runs: one request is enqueued (the approve handler did its part), one never was.
    const sender = new ProvisioningQueue({ databaseUrl: process.env.DATABASE_URL!, clusterName: clusterRow.name, settings: FAST });
    await sender.start();
    const queued = await approvedRequest(p, clusterRow.id, fresh("queued"));
    expect(await sender.enqueue(queued.request.id)).toBeTruthy();
    await sender.stop();
    const forgotten = await approvedRequest(p, clusterRow.id, fresh("forgotten"));
    const elsewhere = await approvedRequest(p, (await testCluster("other")).id, fresh("elsewhere"));

    const w = await startWorker(clusterRow);
    expect((await waitForStatus(queued.request.id, ["READY", "FAILED"])).status).toBe("READY");
    expect((await waitForStatus(forgotten.request.id, ["READY", "FAILED"])).status).toBe("READY");
    // A request on another cluster is not this worker's to provision.
    expect((await db.runnerRequest.findUniqueOrThrow({ where: { id: elsewhere.request.id } })).status).toBe("APPROVED");
    // Reconciling again finds nothing more to do.
    expect(await w.reconcile()).toBe(0);
    await stopWorker(w);
  });
});

describe("pick-up", () => {
  it("starts jobs sent through the worker at once and drains a backlog without waiting for polls", async () => {
    const clusterRow = await testCluster("pickup");
    // A 30-second poll and 2 slots: fetching one job per slot per poll, 6 jobs would take 60 s or more.
    const w = await startWorker(clusterRow, { pollingIntervalSeconds: 30, localConcurrency: 2 });
    const requests = await Promise.all(Array.from({ length: 6 }, () => approvedRequest(p, clusterRow.id, fresh("pickup"))));
    // The slots' first fetches (at start) found nothing; they are now in their 30-second wait.
    await new Promise((r) => setTimeout(r, 1_000));
    const sent = Date.now();
    for (const { request } of requests) expect(await w.enqueue(request.id)).toBeTruthy();
    for (const { request } of requests) expect((await waitForStatus(request.id, ["READY", "FAILED"], 25_000)).status).toBe("READY");
    expect(Date.now() - sent).toBeLessThan(25_000);
    // Still one job per request, each completed on its own.
    for (const { request } of requests) expect((await w.queue.jobsFor(request.id)).map((j) => j.state)).toEqual(["completed"]);
    await stopWorker(w);
  }, 60_000);
});
