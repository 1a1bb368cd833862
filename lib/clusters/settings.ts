import "server-only";
import type { ClusterSettings } from "@/lib/arc/settings";
import { requestLimits, type RequestLimits } from "@/lib/requests/schema";
import { env } from "@/lib/env";

// The ARC_* environment's settings: what a cluster with no stored settings uses (cluster-settings.ts
// holds each cluster's own), and the form's defaults before a cluster is chosen. A cluster's own
// settings come from settingsOf / loadClusterSettings. Checked at start-up with the rest (lib/env.ts).
export function environmentSettings(): ClusterSettings {
  return env().arcSettings;
}

/** The GitHub Enterprise host when the portal is configured for one. */
export function githubEnterpriseHost(): string | undefined {
  const host = new URL(env().GITHUB_URL).host;
  return host === "github.com" ? undefined : host;
}

/** What the form and the server allow on a cluster with these settings (and this portal's GitHub host). */
export function limitsOn(settings: ClusterSettings): RequestLimits {
  return requestLimits(settings, githubEnterpriseHost(), env().PORTAL_NAMESPACE);
}

export function environmentLimits(): RequestLimits {
  return limitsOn(environmentSettings());
}
