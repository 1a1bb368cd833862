import "server-only";
import { clusterSettingsFromEnv, type ClusterSettings } from "@/lib/arc/settings";
import { requestLimits, type RequestLimits } from "@/lib/requests/schema";
import { env } from "@/lib/env";

// The ARC_* environment's settings: what a cluster with no stored settings uses (cluster-settings.ts
// holds each cluster's own), and the form's defaults before a cluster is chosen. The cluster id
// these take is not used: a cluster's own settings come from settingsOf / loadClusterSettings.
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
