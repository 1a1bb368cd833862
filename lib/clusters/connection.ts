import "server-only";
import type { KubeConfig } from "@kubernetes/client-node";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import type { ClusterConnection } from "@/lib/generated/prisma/enums";
import { firstLine } from "@/lib/first-line";
import { createKube, defaultKube, type Kube, type KubeOptions } from "@/lib/kube/client";
import { KubeConfigError, kubeSourceFromEnv, loadKubeConfig } from "@/lib/kube/config";
import { kubeConfigFromText } from "@/lib/kube/inline-kubeconfig";

// The API clients of one registered cluster, from its stored connection. A broken or
// unreachable connection is that cluster's problem only: callers handle KubeConfigError
// per cluster and carry on with the others.

export type ClusterConnectionRow = {
  name: string;
  connection: ClusterConnection;
  kubeconfigCiphertext: string | null;
};

/**
 * The KubeConfig of the cluster's connection; null when it is the environment's and the
 * environment configures none. Server-side only: it holds credentials.
 */
export function kubeConfigForCluster(cluster: ClusterConnectionRow): KubeConfig | null {
  switch (cluster.connection) {
    case "ENVIRONMENT": {
      const source = kubeSourceFromEnv();
      return source ? loadKubeConfig(source) : null;
    }
    case "IN_CLUSTER":
      return loadKubeConfig({ kind: "in-cluster" });
    case "KUBECONFIG": {
      const sealed = cluster.kubeconfigCiphertext;
      if (!sealed) throw new KubeConfigError(`Cluster ${cluster.name} has no stored kubeconfig.`);
      return storedKubeConfig(cluster.name, () => open(sealed, env().ENCRYPTION_KEY));
    }
  }
}

/**
 * A cluster's stored kubeconfig from its text, which `text` opens (and may fail to); for a caller
 * that has opened it already, `text` returns it. Held to the same rules as at registration, so a
 * kubeconfig stored before them (an exec plugin, a token file) is refused here and nothing runs.
 */
export function storedKubeConfig(clusterName: string, text: () => string): KubeConfig {
  let opened: string;
  try {
    opened = text();
  } catch (err) {
    throw new KubeConfigError(`Cluster ${clusterName}'s stored kubeconfig cannot be opened: ${firstLine(err)}`);
  }
  try {
    return kubeConfigFromText(opened);
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    throw new KubeConfigError(
      `Cluster ${clusterName}'s stored kubeconfig is refused: ${err.message.replace(/\.$/, "")}. An admin must register the cluster again with a kubeconfig whose credentials are inline.`,
    );
  }
}

/** API clients for the cluster, or null when it is the environment's and the environment configures none. */
export function kubeForCluster(cluster: ClusterConnectionRow, opts?: KubeOptions): Kube | null {
  // The environment's cluster shares the portal's one set of clients (and connection pool).
  if (cluster.connection === "ENVIRONMENT") return defaultKube();
  const kc = kubeConfigForCluster(cluster);
  return kc && createKube(kc, opts);
}

/** API clients for a registered cluster by id; null when it has none (or is not registered). */
export async function kubeForClusterId(clusterId: string, opts?: KubeOptions): Promise<Kube | null> {
  const row = await db.cluster.findUnique({ where: { id: clusterId }, select: { name: true, connection: true, kubeconfigCiphertext: true } });
  return row ? kubeForCluster(row, opts) : null;
}
