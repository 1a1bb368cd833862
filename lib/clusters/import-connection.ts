import "server-only";
import { db } from "@/lib/db";
import { withinTime } from "@/lib/deadline";
import { HttpError, notFoundError, unavailable } from "@/lib/http-errors";
import type { Kube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError } from "@/lib/kube/errors";
import { settingsOf } from "./cluster-settings";
import { kubeForCluster } from "./connection";

// The cluster an admin imports from, and the calls to its API server. An import page must
// answer within seconds whatever the cluster does: a server that accepts the connection and
// never answers gets a clear 504 after IMPORT_CLUSTER_TIMEOUT_MS, not a page that hangs.

export const IMPORT_CLUSTER_TIMEOUT_MS = 10_000;

/** The registered cluster with its settings; 404 for an unknown id. Never returns its kubeconfig. */
export async function importTarget(clusterId: string) {
  const cluster = await db.cluster.findUnique({
    where: { id: clusterId },
    select: { id: true, name: true, displayName: true, connection: true, kubeconfigCiphertext: true, settings: true },
  });
  if (!cluster) throw notFoundError("That cluster is not registered.");
  const { kubeconfigCiphertext: _sealed, settings: _stored, ...shown } = cluster;
  return {
    cluster: shown,
    settings: settingsOf(cluster),
    /** The API clients, opened only when the import needs the cluster. */
    kube: (): Kube => connect(cluster),
  };
}

export type ImportTarget = Awaited<ReturnType<typeof importTarget>>;

function connect(cluster: Parameters<typeof kubeForCluster>[0] & { displayName: string }): Kube {
  let kube: Kube | null;
  try {
    kube = kubeForCluster(cluster, { requestTimeoutMs: IMPORT_CLUSTER_TIMEOUT_MS });
  } catch (err) {
    if (err instanceof KubeConfigError) throw unavailable(`The portal cannot connect to cluster ${cluster.displayName}: ${err.message}`);
    throw err;
  }
  if (!kube) {
    throw unavailable(
      `The portal has no connection to cluster ${cluster.displayName}: set KUBECONFIG (or run the portal in the cluster) to import from it.`,
    );
  }
  return kube;
}

/** A call to the cluster's API server, bounded in time, its failures as 5xx with the server's words. */
export async function askCluster<T>(kube: Kube, call: () => Promise<T>, timeoutMs = IMPORT_CLUSTER_TIMEOUT_MS): Promise<T> {
  const late = () =>
    new HttpError(504, `The cluster's API server (${kube.server}) did not answer within ${Math.round(timeoutMs / 1000)} s. Check that it is up and reachable from the portal, then try again.`);
  try {
    return await withinTime(call(), timeoutMs, late);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const problem = describeKubeError(err, kube.server);
    if (problem.notKubernetes && problem.status === undefined) throw new HttpError(502, `${problem.message}. Check the server in the cluster's kubeconfig.`);
    // Not the API server's doing (a scale set that is not there, a bug): the caller's to say.
    if (problem.status === undefined && !problem.transient) throw err;
    if (problem.status === undefined) {
      // The client's own time limits (undici's 10 s TLS connect among them) race the deadline: same answer.
      if (/did not answer in time/.test(problem.message)) throw late();
      throw new HttpError(503, `${problem.message}. Try again once the cluster is reachable.`);
    }
    throw new HttpError(502, `The cluster's API server refused: ${problem.message}`);
  }
}
