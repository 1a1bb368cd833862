import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { listScaleSetRunners, type ScaleSetRunners } from "@/lib/github/runners";
import { kubeForClusterId } from "@/lib/clusters/connection";
import type { Kube } from "@/lib/kube/client";
import { KubeConfigError } from "@/lib/kube/config";
import { describeKubeError } from "@/lib/kube/errors";
import { getRequest } from "./queries";
import { renderRequestArtifacts } from "./render";

export type GitHubRunnersReport = ScaleSetRunners | { status: "not-ready" | "off"; message: string };

/**
 * The runners GitHub reports for a READY scale set's label. After provisioning
 * the App key lives only in the cluster Secret, so it is read from there, used
 * for one installation token, and never stored or returned.
 */
export async function githubRunners(actor: Actor, id: string): Promise<GitHubRunnersReport> {
  const r = await getRequest(actor, id);
  if (r.status !== "READY") return { status: "not-ready", message: "GitHub lists runners once the scale set is ready." };
  let kube: Kube | null;
  try {
    kube = await kubeForClusterId(r.clusterId);
  } catch (err) {
    if (!(err instanceof KubeConfigError)) throw err;
    return { status: "off", message: `The portal cannot connect to this request's cluster: ${err.message}` };
  }
  if (!kube) return { status: "off", message: "This portal has no cluster connection, so it cannot read the App key from the cluster." };
  const { githubApp } = r.spec;
  let pem: string | undefined;
  try {
    const secret = await kube.core.readNamespacedSecret({ name: (await renderRequestArtifacts(r)).secretName, namespace: r.namespace });
    const b64 = secret.data?.github_app_private_key;
    pem = b64 ? Buffer.from(b64, "base64").toString("utf8") : undefined;
  } catch (err) {
    return { status: "unavailable", message: `Could not read the App key from the cluster: ${describeKubeError(err, kube.server).message}` };
  }
  if (!pem || !githubApp.appId || !githubApp.installationId) {
    return { status: "failed", message: "The scale set's Secret holds no usable App credentials." };
  }
  return listScaleSetRunners({ githubConfigUrl: r.spec.githubConfigUrl, label: r.label, appId: githubApp.appId, installationId: githubApp.installationId, privateKey: pem });
}
