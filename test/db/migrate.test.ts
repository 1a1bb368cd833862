import { cp, mkdtemp, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase } from "@/scripts/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";

const server = () => process.env.TEST_DATABASE_SERVER_URL!;
const fresh = (tag: string) => createDatabase(server(), `migrate_${tag}_${Date.now()}`);

describe("migration runner", () => {
  it("applies every migration once, records it like Prisma does, and is a no-op the second time", async () => {
    const url = await fresh("once");
    const first = await migrate(url);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await migrate(url);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toBe(first.applied.length);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = (await c.query(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY 1`)).rows;
    await c.end();
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished_at)).toBe(true);
  });

  it("runs safely from several processes at once (two replicas starting together)", async () => {
    const url = await fresh("race");
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const appliedTotal = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedTotal).toBe(results.find((r) => r.applied.length > 0)!.applied.length);
  });

  it("refuses a migration edited after it was applied", async () => {
    const url = await fresh("edited");
    const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
    await cp(path.resolve("prisma/migrations"), dir, { recursive: true });
    await migrate(url, dir);
    const first = (await import("node:fs")).readdirSync(dir).sort()[0]!;
    await writeFile(path.join(dir, first, "migration.sql"), "-- changed\nSELECT 1;");
    await expect(migrate(url, dir)).rejects.toThrow(/changed after it was applied/);
  });

  it("rolls back a failing migration completely", async () => {
    const url = await fresh("broken");
    const dir = await mkdtemp(path.join(os.tmpdir(), "migrations-"));
    await cp(path.resolve("prisma/migrations"), dir, { recursive: true });
    await (await import("node:fs/promises")).mkdir(path.join(dir, "99999999999999_broken"));
    await writeFile(path.join(dir, "99999999999999_broken", "migration.sql"), 'CREATE TABLE "Half" (id int); SELECT no_such_function();');
    await expect(migrate(url, dir)).rejects.toThrow(/99999999999999_broken failed/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const half = await c.query(`SELECT to_regclass('public."Half"') AS t`);
    await c.end();
    expect(half.rows[0].t).toBeNull();
  });
});
