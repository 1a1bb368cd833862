// Request ids and structured request logs (lib/auth/gate.ts route()), and what the
// readiness check reports for each state of the database and the cluster (lib/health.ts).
import { KubeConfig } from "@kubernetes/client-node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import { route } from "@/lib/auth/gate";
import { createPrismaClient } from "@/lib/db/client";
import { requestIdFor } from "@/lib/http-request-id";
import { createKube, setDefaultKube } from "@/lib/kube/client";
import { log } from "@/lib/log";
import { formatMetrics, processFamilies } from "@/lib/metrics";
import { readiness } from "@/lib/health";
import { freePort } from "@/scripts/db/embedded-postgres";
import { parsePrometheusText, sampleValue } from "@/test/harness/prometheus-text";

// Route handlers ask next-auth who is signed in; here the test says.
const signedIn = vi.hoisted(() => ({ actor: null as Actor | null }));
vi.mock("@/lib/auth/actor", () => ({ currentActor: async () => signedIn.actor }));

let lines: Record<string, unknown>[];
let restore: (() => void)[] = [];

beforeEach(() => {
  lines = [];
  for (const stream of [process.stdout, process.stderr]) {
    const spy = vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      for (const l of String(chunk).split("\n").filter(Boolean)) {
        try {
          lines.push(JSON.parse(l));
        } catch {
          /* not ours */
        }
      }
      return true;
    });
    restore.push(() => spy.mockRestore());
  }
  process.env.LOG_LEVEL = "debug";
});

afterEach(() => {
  for (const r of restore) r();
  restore = [];
  delete process.env.LOG_LEVEL;
  signedIn.actor = null;
  setDefaultKube(undefined);
  delete (globalThis as { portalClusterHealth?: unknown }).portalClusterHealth;
});

const call = (handler: ReturnType<typeof route>, url: string, headers: Record<string, string> = {}) =>
  handler(new Request(url, { headers }), { params: Promise.resolve({}) });

describe("request ids", () => {
  it("keeps an id that looks like one and replaces anything else", () => {
    expect(requestIdFor("0f8fad5b-d9cb-469f-a165-70867728950e")).toBe("0f8fad5b-d9cb-469f-a165-70867728950e");
    expect(requestIdFor("ingress.abc123:7")).toBe("ingress.abc123:7");
    for (const bad of [null, "", "short", "has space in it", 'quote"s-123456', "x".repeat(129), "line\nbreak-1234"]) {
      expect(requestIdFor(bad)).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe("API request logs", () => {
  it("write one JSON line per request with method, path, status, duration, request id and user, and tag the handler's own lines", async () => {
    signedIn.actor = { id: "user-42", login: "octo", name: null, role: "REQUESTER", teamIds: [] };
    const handler = route("signed-in", async () => {
      log.info("inside the handler", { step: 1 });
      return { ok: true };
    });
    const res = await call(handler, "http://portal/api/things?secret=never-logged", { "x-request-id": "req-abc-123456" });
    expect(res.status).toBe(200);
    const inside = lines.find((l) => l.msg === "inside the handler");
    expect(inside).toMatchObject({ httpRequestId: "req-abc-123456", step: 1 });
    const line = lines.find((l) => l.msg === "api request")!;
    expect(line).toMatchObject({ level: "info", method: "GET", path: "/api/things", status: 200, httpRequestId: "req-abc-123456", userId: "user-42" });
    expect(line.durationMs).toEqual(expect.any(Number));
    expect(JSON.stringify(lines)).not.toContain("never-logged");
  });

  it("log refusals and failures with their status, and count every request for /api/metrics", async () => {
    const refused = await call(route("signed-in", async () => ({})), "http://portal/api/private", { "x-request-id": "req-refused-1" });
    expect(refused.status).toBe(401);
    const broken = await call(route("public", async () => { throw new Error("boom"); }), "http://portal/api/broken", { "x-request-id": "req-broken-1" });
    expect(broken.status).toBe(500);
    expect(lines.find((l) => l.httpRequestId === "req-refused-1" && l.msg === "api request")).toMatchObject({ status: 401, level: "info" });
    // The unhandled error and the request line both carry the id, so one grep finds the story.
    expect(lines.filter((l) => l.httpRequestId === "req-broken-1").map((l) => [l.level, l.msg])).toEqual([
      ["error", "unhandled error"],
      ["error", "api request"],
    ]);
    const m = parsePrometheusText(formatMetrics(processFamilies()));
    expect(sampleValue(m, "arc_portal_http_requests_total", { method: "GET", code: "500" })).toBeGreaterThanOrEqual(1);
  });

  it("do not follow background work that a request merely started", async () => {
    const { withoutLogContext } = await import("@/lib/log");
    let background: Promise<void> | undefined;
    await call(
      route("public", async () => {
        background = withoutLogContext(() => new Promise<void>((r) => setTimeout(() => (log.info("background tick"), r()), 5)));
        return {};
      }),
      "http://portal/api/starts-something",
      { "x-request-id": "req-starter-1" },
    );
    await background;
    expect(lines.find((l) => l.msg === "background tick")).not.toHaveProperty("httpRequestId");
  });

  it("keep probes and scrapes at debug level unless they fail", async () => {
    await call(route("public", async () => ({ status: "ok" })), "http://portal/api/health/live");
    expect(lines.find((l) => l.path === "/api/health/live")).toMatchObject({ level: "debug", status: 200 });
  });
});

describe("readiness", () => {
  it("is ready with a database and no cluster configured", async () => {
    setDefaultKube(null);
    expect(await readiness()).toEqual({ status: "ready", database: "ok", cluster: "not configured" });
  });

  it("is degraded, not unready, while the API server cannot be reached", async () => {
    // A port nothing listens on: the connection is refused.
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: "gone", server: `https://127.0.0.1:${await freePort()}`, skipTLSVerify: true }],
      users: [{ name: "u", token: "t" }],
      contexts: [{ name: "c", cluster: "gone", user: "u" }],
      currentContext: "c",
    });
    setDefaultKube(createKube(kc));
    expect(await readiness()).toEqual({ status: "degraded", database: "ok", cluster: "unreachable" });
    const warned = lines.filter((l) => l.msg === "readiness: Kubernetes API server unreachable");
    expect(warned).toHaveLength(1);
    expect(warned[0]!.error).toMatch(/refused the connection/);
  });

  it("is unavailable without the database", async () => {
    setDefaultKube(null);
    const holder = globalThis as unknown as { prisma?: ReturnType<typeof createPrismaClient> };
    const real = holder.prisma;
    holder.prisma = createPrismaClient("postgresql://nobody:x@127.0.0.1:9/none");
    try {
      expect(await readiness()).toEqual({ status: "unavailable", database: "unreachable", cluster: "not configured" });
    } finally {
      await holder.prisma.$disconnect().catch(() => undefined);
      holder.prisma = real;
    }
  });
});
