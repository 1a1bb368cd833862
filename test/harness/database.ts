import path from "node:path";
import { createDatabase, startEmbeddedPostgres, type RunningPostgres } from "@/scripts/db/embedded-postgres";
import { migrate } from "@/lib/db/migrate";

const root = path.resolve(import.meta.dirname, "../..");

export interface TestDatabase {
  /** URL of a fresh, migrated database for this run. */
  url: string;
  /** URL of the server's maintenance database, for creating more databases. */
  serverUrl: string;
  stop(): Promise<void>;
}

/**
 * One fresh database per test run: on the server in DATABASE_URL when set,
 * otherwise on an embedded PostgreSQL that lives as long as the run.
 */
export async function startTestDatabase(label: string): Promise<TestDatabase> {
  let pg: RunningPostgres | undefined;
  let serverUrl = process.env.TEST_DATABASE_SERVER_URL ?? process.env.DATABASE_URL;
  if (!serverUrl) {
    pg = await startEmbeddedPostgres({
      dataDir: path.join(root, ".data", `test-pg-${label}-${process.pid}`),
      persistent: false,
    });
    serverUrl = pg.url;
  }
  const name = `arc_portal_${label}_${Date.now()}_${process.pid}`;
  const url = await createDatabase(serverUrl, name);
  await migrate(url, path.join(root, "prisma/migrations"));
  return { url, serverUrl, stop: async () => void (await pg?.stop()) };
}
