import { readFileSync } from "node:fs";
import { parsePrometheusText, sampleValue } from "../test/harness/prometheus-text";
import { expect, test } from "./fixtures";

// What Kubernetes and Prometheus see of the running production build: the probes, the
// metrics endpoint with and without its token, and request ids in responses and logs.

const token = () => process.env.E2E_METRICS_TOKEN!;

test("liveness and readiness answer without a session; ready checks the database and the cluster", async ({ request }) => {
  const live = await request.get("/api/health/live");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: "ok" });
  expect(live.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", database: "ok", cluster: "ok" });
  expect(ready.headers()["cache-control"]).toBe("no-store");
});

test("/api/metrics refuses a scrape without the token and serves Prometheus text with it", async ({ request }) => {
  const anonymous = await request.get("/api/metrics");
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.text()).not.toContain("arc_portal_");
  expect((await request.get("/api/metrics", { headers: { Authorization: `Bearer ${token()}x` } })).status()).toBe(401);

  const scrape = await request.get("/api/metrics", { headers: { Authorization: `Bearer ${token()}` } });
  expect(scrape.status()).toBe(200);
  expect(scrape.headers()["content-type"]).toBe("text/plain; version=0.0.4; charset=utf-8");
  const m = parsePrometheusText(await scrape.text());
  expect(m.get("arc_portal_runner_requests")!.samples).toHaveLength(9);
  expect(sampleValue(m, "arc_portal_database_up")).toBe(1);
  // The provisioning worker runs (the e2e portal has a cluster), so pg-boss's queue exists.
  expect(m.get("arc_portal_jobs")!.samples.some((s) => s.labels.queue === "provision/ossci")).toBe(true);
  expect(m.get("arc_portal_provisioning_duration_seconds")!.type).toBe("histogram");
  for (const name of ["arc_portal_github_api_errors_total", "arc_portal_kubernetes_api_errors_total"]) expect(m.get(name)?.type).toBe("counter");
  // The refused scrapes above were counted.
  expect(sampleValue(m, "arc_portal_http_requests_total", { method: "GET", code: "401" })).toBeGreaterThanOrEqual(2);
});

test("a request id from the ingress is echoed and ends up on the request's log line", async ({ request }) => {
  const id = `e2e-ops-${Date.now()}`;
  const res = await request.get("/api/metrics", { headers: { "x-request-id": id } });
  expect(res.status()).toBe(401);
  expect(res.headers()["x-request-id"]).toBe(id);
  // A malformed id is replaced, never echoed.
  const odd = await request.get("/api/health/live", { headers: { "x-request-id": "no spaces please" } });
  expect(odd.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);

  await expect
    .poll(() =>
      readFileSync(process.env.E2E_PORTAL_LOG!, "utf8")
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.httpRequestId === id),
    )
    .toMatchObject({ level: "info", msg: "api request", method: "GET", path: "/api/metrics", status: 401, durationMs: expect.any(Number) });
});
