import { route } from "@/lib/auth/gate";
import { env } from "@/lib/env";
import { unauthorized } from "@/lib/http-errors";
import { formatMetrics, METRICS_CONTENT_TYPE, processFamilies } from "@/lib/metrics";
import { databaseFamilies } from "@/lib/metrics-db";
import { metricsScrapeAllowed } from "@/lib/metrics-token";

export const dynamic = "force-dynamic";

/** Prometheus scrape: no session; the bearer token in METRICS_TOKEN when one is set. */
export const GET = route("public", async ({ req }) => {
  if (!metricsScrapeAllowed(req.headers.get("authorization"), env().METRICS_TOKEN)) {
    throw unauthorized("Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.");
  }
  const body = formatMetrics([...(await databaseFamilies()), ...processFamilies()]);
  return new Response(body, { headers: { "Content-Type": METRICS_CONTENT_TYPE, "Cache-Control": "no-store" } });
});
