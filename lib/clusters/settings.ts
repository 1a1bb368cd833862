import "server-only";
import { clusterSettingsFromEnv, type ClusterSettings } from "@/lib/arc/settings";
import { requestLimits, type RequestLimits } from "@/lib/requests/schema";
import { env } from "@/lib/env";

// Cluster settings come from the environment while one cluster is configured;
// they are looked up by cluster so that per-cluster settings can replace this.
let cached: ClusterSettings | undefined;

export function clusterSettings(_clusterId?: string): ClusterSettings {
  cached ??= clusterSettingsFromEnv(process.env);
  return cached;
}

/** The GitHub Enterprise host when the portal is configured for one. */
export function githubEnterpriseHost(): string | undefined {
  const host = new URL(env().GITHUB_URL).host;
  return host === "github.com" ? undefined : host;
}

export function limitsForCluster(clusterId?: string): RequestLimits {
  return requestLimits(clusterSettings(clusterId), githubEnterpriseHost());
}
