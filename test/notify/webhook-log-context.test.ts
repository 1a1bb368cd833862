// The job queue (shared with provisioning) may start with the first webhook message, inside whichever request sends it. Its
// connections and timers must not carry that request's httpRequestId: a connection error an hour
// later would otherwise be logged as part of a request long finished.
import { afterAll, beforeAll, expect, it, vi } from "vitest";

let lines: Record<string, unknown>[] = [];

beforeAll(() => {
  // Nothing listens there, and no worker runs: messages only wait in the queue.
  process.env.WEBHOOK_URL = "http://127.0.0.1:9/hook";
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      for (const l of String(chunk).split("\n").filter(Boolean)) {
        try {
          lines.push(JSON.parse(l));
        } catch {
          /* not a log line */
        }
      }
      return true;
    });
  }
});

afterAll(async () => {
  const { stopWebhooks } = await import("@/lib/notify/queue");
  await stopWebhooks().catch(() => undefined);
  vi.restoreAllMocks();
});

it("logs the queue's own errors without the id of the request that started it", async () => {
  const { withLogContext, log } = await import("@/lib/log");
  const { queueWebhook } = await import("@/lib/notify/queue");
  const { JOBS_APPLICATION_NAME } = await import("@/lib/provision/shared-boss");
  const { db } = await import("@/lib/db");

  await withLogContext({ httpRequestId: "req-first-sender" }, async () => {
    log.info("inside the request");
    await queueWebhook({ text: "first message" });
  });
  expect(lines.find((l) => l.msg === "inside the request")).toMatchObject({ httpRequestId: "req-first-sender" });
  lines = [];

  // Cut the queue's idle connections, as a database failover would: its pool reports the error.
  const cut = await db.$queryRaw<{ pid: number }[]>`
    SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE application_name = ${JOBS_APPLICATION_NAME}`;
  expect(cut.length).toBeGreaterThan(0);
  const deadline = Date.now() + 10_000;
  while (!lines.some((l) => l.msg === "job queue error") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

  const errors = lines.filter((l) => l.msg === "job queue error");
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) expect(e).not.toHaveProperty("httpRequestId");
}, 30_000);
