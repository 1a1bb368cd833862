// /api/metrics' content: the registry, the exposition format (read back by a strict
// parser), the gauges read from PostgreSQL (with and without pg-boss's schema), and the
// scrape token. The route itself is exercised against the running portal in e2e/ops.spec.ts.
import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { EnvError, parseEnv } from "@/lib/env";
import {
  countGitHubError,
  countHttpRequest,
  countKubeError,
  formatMetrics,
  observeProvisioning,
  processFamilies,
  PROVISIONING_BUCKETS,
  type MetricFamily,
} from "@/lib/metrics";
import { databaseFamilies } from "@/lib/metrics-db";
import { metricsScrapeAllowed } from "@/lib/metrics-token";
import { ProvisioningQueue } from "@/lib/provision/queue";
import { parsePrometheusText, sampleValue } from "@/test/harness/prometheus-text";

const scrape = async () => parsePrometheusText(formatMetrics([...(await databaseFamilies()), ...processFamilies()]));

describe("the metrics registry", () => {
  it("counts API requests, GitHub and Kubernetes errors, and provisioning durations, in valid exposition format", async () => {
    countHttpRequest("get", 200);
    countHttpRequest("GET", 200);
    countHttpRequest("POST", 503);
    countGitHubError("rate-limited");
    countKubeError(409);
    countKubeError("409");
    countKubeError("Unreachable");
    observeProvisioning(0.4, "ready");
    observeProvisioning(7, "ready");
    observeProvisioning(5000, "ready");
    observeProvisioning(12, "failed");

    const m = await scrape();
    expect(sampleValue(m, "arc_portal_http_requests_total", { method: "GET", code: "200" })).toBe(2);
    expect(sampleValue(m, "arc_portal_http_requests_total", { method: "POST", code: "503" })).toBe(1);
    expect(sampleValue(m, "arc_portal_github_api_errors_total", { kind: "rate-limited" })).toBe(1);
    expect(sampleValue(m, "arc_portal_kubernetes_api_errors_total", { kind: "409" })).toBe(2);
    expect(sampleValue(m, "arc_portal_kubernetes_api_errors_total", { kind: "unreachable" })).toBe(1);

    const h = "arc_portal_provisioning_duration_seconds";
    expect(m.get(h)?.type).toBe("histogram");
    expect(sampleValue(m, `${h}_bucket`, { outcome: "ready", le: "1" })).toBe(1);
    expect(sampleValue(m, `${h}_bucket`, { outcome: "ready", le: "10" })).toBe(2);
    expect(sampleValue(m, `${h}_bucket`, { outcome: "ready", le: String(PROVISIONING_BUCKETS.at(-1)) })).toBe(2);
    expect(sampleValue(m, `${h}_bucket`, { outcome: "ready", le: "+Inf" })).toBe(3);
    expect(sampleValue(m, `${h}_sum`, { outcome: "ready" })).toBeCloseTo(5007.4);
    expect(sampleValue(m, `${h}_count`, { outcome: "failed" })).toBe(1);
    expect(sampleValue(m, "process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("keeps one registry per process, however often the module is loaded (Next bundles the worker and the routes apart)", async () => {
    vi.resetModules();
    const again = await import("@/lib/metrics");
    again.countKubeError("timeout");
    countKubeError("timeout");
    const m = parsePrometheusText(formatMetrics(processFamilies()));
    expect(sampleValue(m, "arc_portal_kubernetes_api_errors_total", { kind: "timeout" })).toBe(2);
  });

  it("turns caller-supplied kinds into safe, bounded label values", () => {
    countGitHubError('Bad "thing"\n{evil="1"}' + "x".repeat(200));
    const m = parsePrometheusText(formatMetrics(processFamilies()));
    const kinds = m.get("arc_portal_github_api_errors_total")!.samples.map((s) => s.labels.kind!);
    const odd = kinds.find((k) => k.startsWith("bad"))!;
    expect(odd).toMatch(/^[a-z0-9_.:-]{1,64}$/);
  });

  it("escapes label values and help text the way the format requires", () => {
    const family: MetricFamily = {
      name: "test_escaping",
      help: "back\\slash and\nnewline",
      type: "gauge",
      samples: [{ labels: { v: 'a "quoted" \\ value\nwith newline' }, value: 1.5 }],
    };
    const text = formatMetrics([family]);
    expect(text).toBe('# HELP test_escaping back\\\\slash and\\nnewline\n# TYPE test_escaping gauge\ntest_escaping{v="a \\"quoted\\" \\\\ value\\nwith newline"} 1.5\n');
    expect(parsePrometheusText(text).get("test_escaping")!.samples[0]!.labels.v).toBe('a "quoted" \\ value\nwith newline');
  });

  it("has a parser that would notice broken output", () => {
    expect(() => parsePrometheusText("x 1\n")).toThrow(/no # TYPE/);
    expect(() => parsePrometheusText("# TYPE x gauge\nx{a=\"1\"} one\n")).toThrow(/not a number/);
    expect(() => parsePrometheusText("# TYPE x gauge\nx 1\nx 2\n")).toThrow(/repeated/);
    expect(() => parsePrometheusText('# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n')).toThrow(/cumulative/);
  });
});

describe("gauges from the database", () => {
  it("reports every request status and, before pg-boss has made its schema, no queue (without failing)", async () => {
    const m = await scrape();
    expect(m.get("arc_portal_runner_requests")!.samples.map((s) => s.labels.status).sort()).toEqual(
      ["APPROVED", "CHANGES_REQUESTED", "DECOMMISSIONED", "DRAFT", "FAILED", "PROVISIONING", "READY", "REJECTED", "SUBMITTED"],
    );
    expect(m.has("arc_portal_jobs")).toBe(false);
    expect(sampleValue(m, "arc_portal_database_up")).toBe(1);
  });

  it("counts jobs by queue and state once the queue exists", async () => {
    const clusterName = `metrics-${randomBytes(3).toString("hex")}`;
    const queue = new ProvisioningQueue({ databaseUrl: process.env.DATABASE_URL!, clusterName });
    await queue.start();
    try {
      await queue.enqueue("req-1");
      await queue.enqueue("req-2");
      await queue.enqueue("req-2");
      const m = await scrape();
      const q = `provision/${clusterName}`;
      expect(sampleValue(m, "arc_portal_jobs", { queue: q, state: "created" })).toBe(2);
      expect(sampleValue(m, "arc_portal_jobs", { queue: q, state: "failed" })).toBe(0);
      expect(m.get("arc_portal_jobs")!.samples.filter((s) => s.labels.queue === q)).toHaveLength(6);
    } finally {
      await queue.stop();
    }
  });
});

describe("the scrape token", () => {
  const token = "a".repeat(20) + randomBytes(8).toString("hex");

  it("is required only when configured, as a bearer token", () => {
    expect(metricsScrapeAllowed(null, undefined)).toBe(true);
    expect(metricsScrapeAllowed(null, token)).toBe(false);
    expect(metricsScrapeAllowed(`Bearer ${token}x`, token)).toBe(false);
    expect(metricsScrapeAllowed(`Basic ${token}`, token)).toBe(false);
    expect(metricsScrapeAllowed(`Bearer ${token}`, token)).toBe(true);
    expect(metricsScrapeAllowed(`bearer ${token}`, token)).toBe(true);
  });

  it("is validated at start-up with a message that says what to do", () => {
    const base = { DATABASE_URL: "postgresql://u:p@h/db", NEXTAUTH_SECRET: "x".repeat(32), ENCRYPTION_KEY: Buffer.alloc(32, 1).toString("base64"), DEMO_SIGN_IN: "1" };
    expect(parseEnv({ ...base, METRICS_TOKEN: "  " }).METRICS_TOKEN).toBeUndefined();
    expect(parseEnv({ ...base, METRICS_TOKEN: token }).METRICS_TOKEN).toBe(token);
    for (const bad of ["short", `${token} with spaces`]) {
      try {
        parseEnv({ ...base, METRICS_TOKEN: bad });
        expect.fail("accepted a bad METRICS_TOKEN");
      } catch (err) {
        expect((err as EnvError).problems).toEqual([
          "METRICS_TOKEN must be 24 to 256 printable characters without spaces (openssl rand -hex 24), or unset to leave /api/metrics open",
        ]);
      }
    }
  });
});
