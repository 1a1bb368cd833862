import "server-only";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { defaultKube } from "@/lib/kube/client";
import { kubeConfigured } from "@/lib/kube/config";
import { log } from "@/lib/log";
import { PROVISIONING_OFF_NOTICE } from "./notices";
import { ProvisioningWorker } from "./worker";

// The portal's one provisioning worker per process, for the default cluster. Kept on
// globalThis: Next bundles instrumentation and route handlers separately, and both must
// see the same worker.

export { PROVISIONING_OFF_NOTICE };

type Holder = { ready: Promise<ProvisioningWorker | null>; stop: () => Promise<void> };
const holder = globalThis as unknown as { portalProvisioning?: Holder };

/** Whether this portal provisions at all (a cluster connection is configured). For the UI. */
export function provisioningEnabled(): boolean {
  return kubeConfigured();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the worker when a cluster is configured; logs that provisioning is off otherwise.
 * Returns at once: a database that is not up yet is retried in the background. Throws
 * KubeConfigError when KUBECONFIG is set but unusable, so start-up can stop and say so.
 */
export function startProvisioningWorker(): boolean {
  if (holder.portalProvisioning) return true;
  if (!kubeConfigured()) {
    log.info("provisioning is off: no cluster connection (set KUBECONFIG, or run inside the cluster)");
    return false;
  }
  const kube = defaultKube()!;
  let stopped = false;
  let current: ProvisioningWorker | undefined;
  const ready = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        const cluster = await defaultCluster();
        current = new ProvisioningWorker({ databaseUrl: env().DATABASE_URL, kube, cluster: { id: cluster.id, name: cluster.name } });
        await current.start();
        log.info("provisioning worker started", { cluster: cluster.name, apiServer: kube.server, queue: current.queue.name });
        return current;
      } catch (err) {
        log.warn("provisioning worker could not start; trying again", { attempt, error: (err as Error).message });
        await current?.stop(1000).catch(() => undefined);
        current = undefined;
        await sleep(Math.min(60_000, 1000 * 2 ** attempt));
      }
    }
    return null;
  })();
  holder.portalProvisioning = {
    ready,
    stop: async () => {
      stopped = true;
      await current?.stop();
    },
  };
  return true;
}

export async function stopProvisioningWorker(): Promise<void> {
  const p = holder.portalProvisioning;
  holder.portalProvisioning = undefined;
  await p?.stop();
}

export type EnqueueResult = { queued: true; jobId: string | null } | { queued: false; notice: string };

/**
 * Queues provisioning of an approved request. Call it after the approval has committed.
 * Never throws for a missing cluster or a worker still starting: the request stays
 * APPROVED, the notice says why, and the worker's reconciler picks it up later.
 */
export async function enqueueProvisioning(requestId: string): Promise<EnqueueResult> {
  if (!provisioningEnabled()) return { queued: false, notice: PROVISIONING_OFF_NOTICE };
  startProvisioningWorker();
  const worker = await Promise.race([holder.portalProvisioning!.ready, sleep(5000).then(() => null)]);
  if (!worker) {
    return { queued: false, notice: "The provisioning worker is still starting; it picks this request up within a minute." };
  }
  const request = await db.runnerRequest.findUnique({ where: { id: requestId }, select: { clusterId: true } });
  const cluster = await defaultCluster();
  if (request && request.clusterId !== cluster.id) {
    return { queued: false, notice: "This portal provisions only its default cluster; the request's cluster has no worker." };
  }
  return { queued: true, jobId: await worker.enqueue(requestId) };
}
