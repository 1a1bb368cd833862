import { createHash, timingSafeEqual } from "node:crypto";

// /api/metrics is for Prometheus, which has no session. With METRICS_TOKEN set, a scrape
// must send "Authorization: Bearer <token>"; without it the endpoint is open (keep it
// off the Ingress then: docs/operations.md).

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Whether a request's Authorization header carries the configured token (constant time). */
export function metricsScrapeAllowed(authorization: string | null, token: string | undefined): boolean {
  if (!token) return true;
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization ?? "");
  return !!match && timingSafeEqual(digest(match[1]!), digest(token));
}
