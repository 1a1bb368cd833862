import "server-only";
import { db } from "@/lib/db";
import { withinTime } from "@/lib/deadline";
import { defaultKube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError } from "@/lib/kube/errors";
import { log } from "@/lib/log";

// What /api/health/ready reports. The database decides readiness: without it the portal
// can do nothing. The cluster only degrades it: while the API server is away, people can
// still read, submit and review, and provisioning retries by itself (pg-boss backoff), so
// failing readiness would take the whole UI off the Service for no gain. The portal runs on
// the cluster it provisions, so an API server outage would also hit every replica at once.

export type ClusterHealth = "ok" | "unreachable" | "not configured" | "misconfigured";

export interface Readiness {
  status: "ready" | "degraded" | "unavailable";
  database: "ok" | "unreachable";
  cluster: ClusterHealth;
}

const CLUSTER_TIMEOUT_MS = 3_000;
const CLUSTER_CACHE_MS = 5_000;

const holder = globalThis as unknown as { portalClusterHealth?: { at: number; value: ClusterHealth } };

async function databaseHealth(): Promise<Readiness["database"]> {
  try {
    await db.$queryRaw`SELECT 1`;
    return "ok";
  } catch (err) {
    log.warn("readiness: database unreachable", { error: (err as Error).message });
    return "unreachable";
  }
}

async function askCluster(): Promise<ClusterHealth> {
  let kube;
  try {
    kube = defaultKube();
  } catch (err) {
    if (err instanceof KubeConfigError) return "misconfigured";
    throw err;
  }
  if (!kube) return "not configured";
  try {
    // Discovery (/api/v1): every authenticated identity may read it, so this needs no RBAC.
    await withinTime(kube.core.getAPIResources(), CLUSTER_TIMEOUT_MS, () => Object.assign(new Error("no answer"), { name: "TimeoutError" }));
    return "ok";
  } catch (err) {
    const previous = holder.portalClusterHealth?.value;
    // Once per outage, not on every probe.
    if (previous !== "unreachable") log.warn("readiness: Kubernetes API server unreachable", { error: describeKubeError(err, kube.server).message });
    return "unreachable";
  }
}

/** The cluster's health, asked at most every few seconds per replica. */
async function clusterHealth(): Promise<ClusterHealth> {
  const cached = holder.portalClusterHealth;
  if (cached && Date.now() - cached.at < CLUSTER_CACHE_MS) return cached.value;
  const value = await askCluster();
  holder.portalClusterHealth = { at: Date.now(), value };
  return value;
}

export async function readiness(): Promise<Readiness> {
  const [database, cluster] = await Promise.all([databaseHealth(), clusterHealth()]);
  const status = database !== "ok" ? "unavailable" : cluster === "ok" || cluster === "not configured" ? "ready" : "degraded";
  return { status, database, cluster };
}
