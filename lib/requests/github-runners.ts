import "server-only";
import type { Actor } from "@/lib/auth/actor";
import { listScaleSetRunners, type ScaleSetRunners } from "@/lib/github/runners";
import { appKeyFromCluster } from "./cluster-app-key";
import { getRequest } from "./queries";

export type GitHubRunnersReport = ScaleSetRunners | { status: "not-ready" | "off"; message: string };

/**
 * The runners GitHub reports for a READY scale set's label, asked with the App key
 * read from the cluster Secret for this call.
 */
export async function githubRunners(actor: Actor, id: string): Promise<GitHubRunnersReport> {
  const r = await getRequest(actor, id);
  if (r.status !== "READY") return { status: "not-ready", message: "GitHub lists runners once the scale set is ready." };
  const key = await appKeyFromCluster(r);
  if (key.status !== "ok") return key;
  const { githubApp } = r.spec;
  if (!githubApp.appId || !githubApp.installationId) return { status: "failed", message: "The scale set's Secret holds no usable App credentials." };
  return listScaleSetRunners({
    githubConfigUrl: r.spec.githubConfigUrl,
    label: r.label,
    appId: githubApp.appId,
    installationId: githubApp.installationId,
    privateKey: key.privateKey,
  });
}
