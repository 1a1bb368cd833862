import "server-only";
import { kubeForCluster, type ClusterConnectionRow } from "@/lib/clusters/connection";
import { defaultCluster } from "@/lib/clusters/default-cluster";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { defaultKube } from "@/lib/kube/client";
import { kubeConfigured } from "@/lib/kube/config";
import { log } from "@/lib/log";
import { PROVISIONING_OFF_NOTICE, provisioningOffNotice } from "./notices";
import { ProvisioningWorker, type WorkerOptions } from "./worker";

// One provisioning worker per registered cluster, per process, each with its own queue
// (provision/<cluster name>) and its own API connection: connection ENVIRONMENT uses the
// portal's own (KUBECONFIG or in-cluster), KUBECONFIG the cluster's sealed kubeconfig.
// Each cluster's worker starts, and retries starting, on its own: a cluster whose
// connection is broken only logs, and never holds up the others. (An unreachable API server
// does not stop a worker from starting at all: its jobs fail and pg-boss retries them.)
// Kept on globalThis: Next bundles instrumentation and route handlers separately, and both
// must see the same workers.

export { PROVISIONING_OFF_NOTICE };

/** Worker settings the service passes to every cluster's worker (tests shorten the delays). */
export type ServiceOptions = {
  worker?: Omit<Partial<WorkerOptions>, "databaseUrl" | "kube" | "cluster">;
  /** How often to look for newly registered clusters; 0 = only at start and on demand. */
  syncIntervalSeconds?: number;
};

type ClusterRow = ClusterConnectionRow & { id: string };

type ClusterWorker = {
  cluster: { id: string; name: string };
  /** The started worker; null when the cluster has no connection (ENVIRONMENT without one) or the service stopped. */
  ready: Promise<ProvisioningWorker | null>;
  stop: () => Promise<void>;
};

type Fleet = {
  workers: Map<string, ClusterWorker>;
  /** Resolves once the registered clusters have been read (and each one's worker is starting). */
  synced: Promise<void>;
  sync: () => Promise<void>;
  stop: () => Promise<void>;
};
const holder = globalThis as unknown as { portalProvisioning?: Fleet };

/** Whether this portal provisions at all (it has a cluster connection of its own). For the UI. */
export function provisioningEnabled(): boolean {
  return kubeConfigured();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const backoff = (attempt: number) => Math.min(60_000, 1000 * 2 ** attempt);

/** Starts one cluster's worker, retrying in the background until it starts or the service stops. */
function startClusterWorker(row: ClusterRow, opts: ServiceOptions, isStopped: () => boolean): ClusterWorker {
  let current: ProvisioningWorker | undefined;
  let stopped = false;
  const ready = (async () => {
    for (let attempt = 1; !stopped && !isStopped(); attempt++) {
      try {
        const kube = kubeForCluster(row);
        if (!kube) {
          log.info("provisioning: cluster has no connection; its requests wait", { cluster: row.name });
          return null;
        }
        current = new ProvisioningWorker({ ...opts.worker, databaseUrl: env().DATABASE_URL, kube, cluster: { id: row.id, name: row.name } });
        await current.start();
        if (stopped || isStopped()) {
          await current.stop(1000).catch(() => undefined);
          return null;
        }
        log.info("provisioning worker started", { cluster: row.name, apiServer: kube.server, queue: current.queue.name });
        return current;
      } catch (err) {
        log.warn("provisioning worker could not start; trying again", { cluster: row.name, attempt, error: (err as Error).message });
        await current?.stop(1000).catch(() => undefined);
        current = undefined;
        await sleep(backoff(attempt));
      }
    }
    return null;
  })();
  return {
    cluster: { id: row.id, name: row.name },
    ready,
    stop: async () => {
      stopped = true;
      await current?.stop();
    },
  };
}

/**
 * Starts a worker for every registered cluster when the portal has a cluster connection; logs
 * that provisioning is off otherwise. Returns at once: a database that is not up yet is
 * retried in the background, and clusters registered later get a worker within
 * `syncIntervalSeconds` (or at once when a request of theirs is approved). Throws
 * KubeConfigError when KUBECONFIG is set but unusable, so start-up can stop and say so.
 */
export function startProvisioningWorker(opts: ServiceOptions = {}): boolean {
  if (holder.portalProvisioning) return true;
  if (!kubeConfigured()) {
    log.info("provisioning is off: no cluster connection (set KUBECONFIG, or run inside the cluster)");
    return false;
  }
  defaultKube();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const workers = new Map<string, ClusterWorker>();
  let syncing: Promise<void> | undefined;

  const syncOnce = async () => {
    await defaultCluster();
    const rows = await db.cluster.findMany({
      orderBy: { name: "asc" },
      select: { id: true, name: true, connection: true, kubeconfigCiphertext: true },
    });
    for (const row of rows) {
      if (stopped || workers.has(row.id)) continue;
      workers.set(row.id, startClusterWorker(row, opts, () => stopped));
    }
  };
  const sync = () => {
    syncing ??= syncOnce().finally(() => {
      syncing = undefined;
    });
    return syncing;
  };

  const synced = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await sync();
        return;
      } catch (err) {
        log.warn("provisioning: the registered clusters could not be read; trying again", { attempt, error: (err as Error).message });
        await sleep(backoff(attempt));
      }
    }
  })();
  const every = opts.syncIntervalSeconds ?? 60;
  if (every > 0) {
    timer = setInterval(() => void sync().catch((err) => log.warn("provisioning: cluster sync failed", { error: (err as Error).message })), every * 1000);
    timer.unref();
  }

  holder.portalProvisioning = {
    workers,
    synced,
    sync,
    stop: async () => {
      stopped = true;
      if (timer) clearInterval(timer);
      await Promise.all([...workers.values()].map((w) => w.stop()));
    },
  };
  return true;
}

export async function stopProvisioningWorker(): Promise<void> {
  const p = holder.portalProvisioning;
  holder.portalProvisioning = undefined;
  await p?.stop();
}

/** The worker of one cluster, waiting at most `waitMs` for it to start; null if it has none (yet). */
export async function provisioningWorkerFor(clusterId: string, waitMs = 5000): Promise<ProvisioningWorker | null> {
  const fleet = holder.portalProvisioning;
  if (!fleet) return null;
  const timeout = sleep(waitMs).then(() => null);
  await Promise.race([fleet.synced, timeout]);
  // A cluster registered since the last look.
  if (!fleet.workers.has(clusterId)) await Promise.race([fleet.sync().catch(() => undefined), timeout]);
  const entry = fleet.workers.get(clusterId);
  return entry ? Promise.race([entry.ready, timeout]) : null;
}

export type EnqueueResult = { queued: true; jobId: string | null } | { queued: false; notice: string };

/**
 * Queues provisioning of an approved request on its cluster's worker. Call it after the
 * approval has committed. Never throws for a missing cluster or a worker still starting: the
 * request stays APPROVED, the notice says why, and the worker's reconciler picks it up later.
 */
export async function enqueueProvisioning(requestId: string): Promise<EnqueueResult> {
  if (!provisioningEnabled()) return { queued: false, notice: provisioningOffNotice() };
  startProvisioningWorker();
  const request = await db.runnerRequest.findUnique({ where: { id: requestId }, select: { cluster: { select: { id: true, name: true } } } });
  if (!request) return { queued: false, notice: "That request does not exist." };
  const worker = await provisioningWorkerFor(request.cluster.id);
  if (!worker) {
    return {
      queued: false,
      notice: `The provisioning worker for cluster ${request.cluster.name} is not running yet; it picks this request up once it starts.`,
    };
  }
  return { queued: true, jobId: await worker.enqueue(requestId) };
}
