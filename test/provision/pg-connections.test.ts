// How many connections the provisioning workers hold to PostgreSQL, with one cluster and with
// three, while every slot of every cluster is busy and each transition queues a webhook: one
// pg-boss pool for the process, not one per cluster (6 connections each) plus the webhooks' (2).
// Counted by PostgreSQL itself (pg_stat_activity).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createKube, type Kube } from "@/lib/kube/client";
import { loadKubeConfig } from "@/lib/kube/config";
import { startWebhookWorker, stopWebhooks } from "@/lib/notify/queue";
import { ProvisioningWorker } from "@/lib/provision/worker";
import { startKube, type KubeCluster } from "@/test/harness/kube";
import { approvedRequest, people, setEnv, suffix, testCluster, testSpec, waitForStatus, type People } from "./fixtures";

// The pg-boss pool's application_name, and its size (lib/provision/shared-boss.ts).
const APP = "arc-runner-portal-jobs";
const POOL_MAX = 6;

let cluster: KubeCluster;
let restoreEnv: (() => void) | undefined;
let kube: Kube;
let p: People;
const workers: ProvisioningWorker[] = [];
// A webhook receiver that takes every delivery.
let delivered = 0;
const receiver = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    delivered++;
    res.end();
  });
});

async function connections() {
  const rows = await db.$queryRaw<{ app: string; n: number }[]>`
    SELECT application_name AS app, count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() GROUP BY application_name`;
  const provisioning = rows.find((r) => r.app === APP)?.n ?? 0;
  return { provisioning, all: rows.reduce((sum, r) => sum + r.n, 0) };
}

/** Runs `work` while sampling the connections every 50 ms; returns the highest counts seen. */
async function peakDuring(work: () => Promise<unknown>) {
  const peak = { provisioning: 0, all: 0 };
  let done = false;
  const sampler = (async () => {
    while (!done) {
      const c = await connections();
      peak.provisioning = Math.max(peak.provisioning, c.provisioning);
      peak.all = Math.max(peak.all, c.all);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    await work();
  } finally {
    done = true;
    await sampler;
  }
  return peak;
}

async function startWorker(name: string) {
  const row = await testCluster(name);
  const w = new ProvisioningWorker({
    databaseUrl: process.env.DATABASE_URL!,
    kube,
    cluster: row,
    settings: { retryDelaySeconds: 1, retryDelayMaxSeconds: 2, heartbeatSeconds: 10 },
    pollingIntervalSeconds: 0.5,
    reconcileIntervalSeconds: 0,
  });
  await w.start();
  workers.push(w);
  return { w, row };
}

/** Eight jobs on each cluster at once (all of its slots), sent through its worker, until all are READY. */
async function fillEverySlot(all: { w: ProvisioningWorker; row: { id: string } }[]) {
  const sent = await Promise.all(
    all.flatMap(({ w, row }) =>
      Array.from({ length: 8 }, async () => {
        const s = suffix();
        const { request } = await approvedRequest(p, row.id, testSpec(`conn-${s}`, `ns-conn-${s}`));
        await w.enqueue(request.id);
        return request.id;
      }),
    ),
  );
  for (const id of sent) expect((await waitForStatus(id, ["READY", "FAILED"], 90_000)).status).toBe("READY");
}

beforeAll(async () => {
  cluster = await startKube();
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  restoreEnv = setEnv({ KUBECONFIG: cluster.kubeconfigPath, LOG_LEVEL: "warn", WEBHOOK_URL: hook });
  kube = createKube(loadKubeConfig({ kind: "kubeconfig", paths: [cluster.kubeconfigPath] }));
  p = await people();
}, 180_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await stopWebhooks();
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await cluster?.stop();
  restoreEnv?.();
});

describe("connections to PostgreSQL", () => {
  it("stay within one pool with one cluster and with three, all slots busy, and are closed when the workers stop", async () => {
    const before = await connections();
    expect(before.provisioning).toBe(0);

    await startWebhookWorker(0.5);
    const a = await startWorker("conn-a");
    const one = await peakDuring(() => fillEverySlot([a]));
    const b = await startWorker("conn-b");
    const c = await startWorker("conn-c");
    const three = await peakDuring(() => fillEverySlot([a, b, c]));
    console.log(
      `pg-boss connections at peak: 1 cluster ${one.provisioning}, 3 clusters ${three.provisioning}; ` +
        `all connections to the database (this process's Prisma pool and pg-boss): before ${before.all}, 1 cluster ${one.all}, 3 clusters ${three.all}`,
    );
    expect(one.provisioning).toBeGreaterThan(0);
    expect(one.provisioning).toBeLessThanOrEqual(POOL_MAX);
    expect(three.provisioning).toBeLessThanOrEqual(POOL_MAX);
    // The webhooks of those transitions went out through the same pool.
    await expect.poll(() => delivered, { timeout: 20_000 }).toBeGreaterThanOrEqual(32);

    // One cluster's worker stopping leaves the others working on the shared pool.
    await a.w.stop();
    workers.splice(workers.indexOf(a.w), 1);
    await fillEverySlot([b]);

    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await stopWebhooks();
    // The last one closed the pool; a backend leaves pg_stat_activity a moment after its client hangs up.
    await expect.poll(async () => (await connections()).provisioning, { timeout: 5_000 }).toBe(0);
  }, 240_000);
});
