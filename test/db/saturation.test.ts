import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "@/lib/db/client";
import { toHttpError } from "@/lib/auth/gate";
import { DATABASE_BUSY_MESSAGE } from "@/lib/database-down";

// A saturated database (every connection busy) is a 503 with Retry-After that says what to do,
// never a 500: the real errors Prisma and pg raise when no connection can be had in time.

const url = process.env.DATABASE_URL!;
const client = createPrismaClient(url, 1);
afterAll(() => client.$disconnect());

async function whileTheOnlyConnectionIsHeld<T>(attempt: () => Promise<T>): Promise<unknown> {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const inside = new Promise<void>((r) => (started = r));
  const holder = client.$transaction(async () => {
    started();
    await held;
  });
  await inside;
  try {
    await attempt();
    return null;
  } catch (err) {
    return err;
  } finally {
    release();
    await holder;
  }
}

describe("a saturated database", () => {
  it("a transaction that cannot start in time answers 503 with Retry-After, not 500", async () => {
    const err = await whileTheOnlyConnectionIsHeld(() => client.$transaction(async (tx) => tx.user.count(), { maxWait: 200 }));
    expect((err as { code?: string })?.code).toBe("P2028");
    const http = toHttpError(err, "test");
    expect(http.status).toBe(503);
    expect(http.retryAfterSeconds).toBe(5);
    expect(http.message).toBe(DATABASE_BUSY_MESSAGE);
  });

  it("a connection the pool cannot hand out in time answers the same", async () => {
    const pg = await import("pg");
    const pool = new pg.default.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 200 });
    const first = await pool.connect();
    try {
      const err = await pool.connect().then(
        (c) => (c.release(), null),
        (e: unknown) => e,
      );
      expect(String((err as Error)?.message)).toMatch(/timeout exceeded when trying to connect/);
      expect(toHttpError(err, "test")).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    } finally {
      first.release();
      await pool.end();
    }
  });
});
