import "server-only";
import { kubeForClusterId } from "@/lib/clusters/connection";
import type { Kube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError } from "@/lib/kube/errors";
import { renderRequestArtifacts } from "./render";

export type ClusterAppKey = { status: "ok"; privateKey: string } | { status: "off" | "unavailable" | "failed"; message: string };

/**
 * After provisioning the App key lives only in the scale set's Secret. It is read from the
 * cluster for one call (a runner list, a re-check) and never stored or returned.
 */
export async function appKeyFromCluster(r: Parameters<typeof renderRequestArtifacts>[0] & { namespace: string }): Promise<ClusterAppKey> {
  let kube: Kube | null;
  try {
    kube = await kubeForClusterId(r.clusterId);
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    return { status: "off", message: `The portal cannot connect to this request's cluster: ${err.message}` };
  }
  if (!kube) return { status: "off", message: "This portal has no cluster connection, so it cannot read the App key from the cluster." };
  let pem: string | undefined;
  try {
    const secret = await kube.core.readNamespacedSecret({ name: (await renderRequestArtifacts(r)).secretName, namespace: r.namespace });
    const b64 = secret.data?.github_app_private_key;
    pem = b64 ? Buffer.from(b64, "base64").toString("utf8") : undefined;
  } catch (err) {
    return { status: "unavailable", message: `Could not read the App key from the cluster: ${describeKubeError(err, kube.server).message}` };
  }
  if (!pem) return { status: "failed", message: "The scale set's Secret holds no usable App credentials." };
  return { status: "ok", privateKey: pem };
}
