import "server-only";
import { KubeConfig } from "@kubernetes/client-node";
import { open } from "@/lib/crypto/secret-box";
import { env } from "@/lib/env";
import type { ClusterConnection } from "@/lib/generated/prisma/enums";
import { createKube, defaultKube, kubeFromSource, type Kube, type KubeOptions } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";

// The API clients of one registered cluster, from its stored connection. A broken or
// unreachable connection is that cluster's problem only: callers handle KubeConfigError
// per cluster and carry on with the others.

export type ClusterConnectionRow = {
  name: string;
  connection: ClusterConnection;
  kubeconfigCiphertext: string | null;
};

/** API clients for the cluster, or null when it is the environment's and the environment configures none. */
export function kubeForCluster(cluster: ClusterConnectionRow, opts?: KubeOptions): Kube | null {
  switch (cluster.connection) {
    case "ENVIRONMENT":
      return defaultKube();
    case "IN_CLUSTER":
      return kubeFromSource({ kind: "in-cluster" }, opts);
    case "KUBECONFIG": {
      if (!cluster.kubeconfigCiphertext) throw new KubeConfigError(`Cluster ${cluster.name} has no stored kubeconfig.`);
      const kc = new KubeConfig();
      try {
        kc.loadFromString(open(cluster.kubeconfigCiphertext, env().ENCRYPTION_KEY));
      } catch (err) {
        throw new KubeConfigError(`Cluster ${cluster.name}'s stored kubeconfig cannot be read: ${(err as Error).message}`);
      }
      return createKube(kc, opts);
    }
  }
}
