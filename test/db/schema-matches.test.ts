import pg from "pg";
import { describe, expect, it } from "vitest";
import { createDatabase } from "@/scripts/db/embedded-postgres";
import { diffSql, readSchema } from "@/scripts/db/prisma-diff";
import { catalog } from "@/test/harness/catalog";

// The migrations are applied by our own runner; this proves the database they
// produce is exactly what schema.prisma describes, as Prisma's engine would
// create it from scratch.
describe("prisma/migrations vs prisma/schema.prisma", () => {
  it("a freshly migrated database has exactly the schema's tables, columns, constraints, indexes and enums", async () => {
    const migrated = process.env.DATABASE_URL!;
    const serverUrl = process.env.TEST_DATABASE_SERVER_URL!;
    const expectedUrl = await createDatabase(serverUrl, `schema_expected_${Date.now()}`);
    const sql = await diffSql({ to: await readSchema(), databaseUrl: expectedUrl });
    expect(sql).toContain('CREATE TABLE "User"');
    const client = new pg.Client({ connectionString: expectedUrl });
    await client.connect();
    await client.query(sql);
    await client.end();

    const [want, got] = await Promise.all([catalog(expectedUrl), catalog(migrated)]);
    // Triggers are ours (e.g. append-only audit events), not Prisma's.
    expect({ ...got, triggers: [] }).toEqual({ ...want, triggers: [] });
    expect(got.columns.length).toBeGreaterThan(10);
  }, 120_000);
});
