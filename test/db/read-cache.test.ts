import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setEnv } from "@/test/harness/set-env";

// The read caches on, as the portal runs them (the rest of the unit suite turns them off).
// A write made with the triggers switched off (session_replication_role = replica) sends no
// change notification: reading the old value afterwards proves the answer came from memory,
// and a normal write proves the notification drops it.

const restore = setEnv({ READ_CACHE: "on" });
const { db } = await import("@/lib/db");
const { changeFeedLive, stopChangeFeed, CHANGE_FEED_APPLICATION_NAME } = await import("@/lib/db/change-feed");
const { invalidateReadCaches, readCache } = await import("@/lib/db/read-cache");
const { createSession, personForSession } = await import("@/lib/auth/sessions");
const { createRequest } = await import("@/lib/requests/create");
const { listRequests } = await import("@/lib/requests/queries");
const { reviewQueue } = await import("@/lib/requests/review-queue");
const { makeActor, requestBody } = await import("@/test/requests/fixtures");
const { processFamilies } = await import("@/lib/metrics");

/** arc_portal_read_cache_reads_total for one cache and result. */
function reads(cache: string, result: string): number {
  const family = processFamilies().find((f) => f.name === "arc_portal_read_cache_reads_total");
  return family?.samples.find((x) => x.labels.cache === cache && x.labels.result === result)?.value ?? 0;
}

let other: pg.Client;

/** A write on another connection, as another replica would make it; `silent` skips the triggers. */
async function write(sql: string, params: unknown[], opts: { silent?: boolean } = {}) {
  await other.query("BEGIN");
  if (opts.silent) await other.query("SET LOCAL session_replication_role = replica");
  await other.query(sql, params);
  await other.query("COMMIT");
}

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Lets the change notifications of the setup's own writes arrive, so they cannot drop a cache mid-test. */
const settle = () => new Promise((r) => setTimeout(r, 250));

/** Reads once so the feed starts, then waits until it listens. */
async function live() {
  await readCache<number>("warm-up", { tables: [], maxEntries: 1, ttlMs: 1 }).get("k", async () => 1);
  await eventually(async () => changeFeedLive(), Boolean);
  expect(changeFeedLive()).toBe(true);
}

beforeAll(async () => {
  other = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await other.connect();
});

afterAll(async () => {
  await other.end();
  await stopChangeFeed();
  restore();
});

describe("read caches", () => {
  it("serve a list from memory until another connection commits a change, then read it", async () => {
    await live();
    const member = await makeActor({ team: "cache-a" });
    const { id } = await createRequest(member, requestBody({ team: "cache-a" }), "draft");
    await settle();
    const first = await eventually(() => listRequests(member), (rows) => rows.length === 1);
    expect(first.map((r) => r.id)).toEqual([id]);
    expect(Object.isFrozen(first[0])).toBe(true);

    await write(`UPDATE "RunnerRequest" SET label = 'renamed-silently' WHERE id = $1`, [id], { silent: true });
    const hits = reads("request-lists", "hit");
    expect((await listRequests(member))[0]!.label).not.toBe("renamed-silently");
    expect(reads("request-lists", "hit")).toBe(hits + 1);

    await write(`UPDATE "RunnerRequest" SET label = 'renamed' WHERE id = $1`, [id]);
    const after = await eventually(() => listRequests(member), (rows) => rows[0]!.label === "renamed");
    expect(after[0]!.label).toBe("renamed");

    // A team's new name reaches the list too (it is joined in), and so does the review queue.
    await settle();
    const queue = (await reviewQueue({ status: "DRAFT", team: "cache-a" })).map((r) => r.team.name);
    expect(queue).toEqual(["cache-a"]);
    await write(`UPDATE "Team" SET name = 'Cache A' WHERE slug = 'cache-a'`, []);
    const renamed = await eventually(() => reviewQueue({ status: "DRAFT", team: "cache-a" }), (rows) => rows[0]?.team.name === "Cache A");
    expect(renamed[0]!.team.name).toBe("Cache A");
    expect((await listRequests(member))[0]!.team).toBe("Cache A");
  });

  it("forget a person at once when their role or membership changes, or they are deactivated", async () => {
    await live();
    const person = await makeActor({ team: "cache-b" });
    const { token } = await createSession(person.id);
    // A stored role counts only as REVIEWER_TEAM's (the lists decide the rest): a stored ADMIN is a reviewer.
    const teamLists = { admins: [], reviewers: [], reviewerTeam: "org/reviewers" };
    await settle();
    expect(await personForSession(token, teamLists)).toMatchObject({ id: person.id, role: "REQUESTER" });

    await write(`UPDATE "User" SET role = 'REVIEWER' WHERE id = $1`, [person.id], { silent: true });
    expect((await personForSession(token, teamLists))!.role).toBe("REQUESTER");
    await write(`UPDATE "User" SET role = 'ADMIN' WHERE id = $1`, [person.id]);
    expect((await eventually(() => personForSession(token, teamLists), (p) => p?.role === "REVIEWER"))!.role).toBe("REVIEWER");

    await write(`DELETE FROM "TeamMembership" WHERE "userId" = $1`, [person.id]);
    expect((await eventually(() => personForSession(token), (p) => p?.teamIds.length === 0))!.teamIds).toEqual([]);

    await write(`UPDATE "User" SET "deactivatedAt" = now() WHERE id = $1`, [person.id]);
    expect(await eventually(() => personForSession(token), (p) => p === null)).toBeNull();
  });

  it("drop everything when this process writes through the gate (invalidateReadCaches)", async () => {
    await live();
    const member = await makeActor({ team: "cache-c" });
    const { id } = await createRequest(member, requestBody({ team: "cache-c" }), "draft");
    await settle();
    await eventually(() => listRequests(member), (rows) => rows.length === 1);
    await listRequests(member);
    await write(`UPDATE "RunnerRequest" SET label = 'silent-two' WHERE id = $1`, [id], { silent: true });
    expect((await listRequests(member))[0]!.label).not.toBe("silent-two");
    invalidateReadCaches();
    expect((await listRequests(member))[0]!.label).toBe("silent-two");
  });

  it("do not keep what a read fetched while a change came in", async () => {
    await live();
    const cache = readCache<{ n: number }>("race", { tables: ["Team"], maxEntries: 10, ttlMs: 60_000 });
    let loads = 0;
    let release!: () => void;
    const slow = cache.get("k", async () => {
      loads++;
      await new Promise<void>((r) => (release = r));
      return { n: 1 };
    });
    await write(`UPDATE "Team" SET name = name WHERE false`, []);
    await eventually(async () => loads, (n) => n === 1);
    // The notification of that (empty) statement drops the cache while the read is still out.
    await new Promise((r) => setTimeout(r, 200));
    release();
    expect(await slow).toEqual({ n: 1 });
    expect(await cache.get("k", async () => ({ n: 2 }))).toEqual({ n: 2 });
    expect(await cache.get("k", async () => ({ n: 3 }))).toEqual({ n: 2 });
  });

  it("pass reads through while the change feed is down, and cache again once it is back", async () => {
    await live();
    const member = await makeActor({ team: "cache-d" });
    const { id } = await createRequest(member, requestBody({ team: "cache-d" }), "draft");
    await eventually(() => listRequests(member), (rows) => rows.length === 1);

    const cut = await other.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [CHANGE_FEED_APPLICATION_NAME]);
    expect(cut.rowCount).toBe(1);
    await eventually(async () => changeFeedLive(), (v) => !v);
    await write(`UPDATE "RunnerRequest" SET label = 'while-down' WHERE id = $1`, [id], { silent: true });
    const bypassed = reads("request-lists", "bypass");
    expect((await listRequests(member))[0]!.label).toBe("while-down");
    expect(reads("request-lists", "bypass")).toBe(bypassed + 1);

    await eventually(async () => changeFeedLive(), Boolean);
    expect(changeFeedLive()).toBe(true);
    await listRequests(member);
    await write(`UPDATE "RunnerRequest" SET label = 'after-back' WHERE id = $1`, [id], { silent: true });
    expect((await listRequests(member))[0]!.label).toBe("while-down");
    expect(await db.runnerRequest.count({ where: { id, label: "after-back" } })).toBe(1);
  });
});
