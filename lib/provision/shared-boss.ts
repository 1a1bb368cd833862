import "server-only";
import { PgBoss } from "pg-boss";
import { log, withoutLogContext } from "@/lib/log";

// One pg-boss instance, so one connection pool, per process and database for every cluster's
// provisioning queue and the webhook queue: its connections carry only fetches, completions and
// heartbeats, each a short query, while the jobs use the portal's own pool and the API servers.
// A pool per cluster (6 connections each) made ten clusters 60 connections per replica. Each
// queue keeps its own workers and slots, so a slow cluster still holds only its own slots.
// Queues lease the instance; the last to let go stops it and closes the pool.
// Kept on globalThis: Next bundles instrumentation and route handlers separately.

/** pg-boss's own schema, for provisioning and webhook queues alike. */
export const PGBOSS_SCHEMA = "pgboss";

/** Connections of the shared pool: what one cluster's 8 slots had before, now for all clusters. */
export const SHARED_POOL_MAX = 6;
export const JOBS_APPLICATION_NAME = "arc-runner-portal-jobs";

type Shared = { boss: PgBoss; started: Promise<void>; leases: number };
const holder = globalThis as unknown as { portalPgBoss?: Map<string, Shared> };
const instances = () => (holder.portalPgBoss ??= new Map());

export interface BossLease {
  readonly boss: PgBoss;
  /** Gives the lease back; the last one stops pg-boss (running jobs get up to `timeoutMs`) and closes its pool. */
  release(timeoutMs: number): Promise<void>;
}

/** The process's started pg-boss for this database, created and started by the first lease. */
export async function leaseBoss(databaseUrl: string): Promise<BossLease> {
  const all = instances();
  let shared = all.get(databaseUrl);
  if (!shared) {
    const boss = new PgBoss({
      connectionString: databaseUrl,
      schema: PGBOSS_SCHEMA,
      max: SHARED_POOL_MAX,
      application_name: JOBS_APPLICATION_NAME,
      // No cron schedules here; maintenance (expiry, heartbeats, retention) stays on, once per process.
      schedule: false,
    });
    boss.on("error", (err) => log.error("job queue error", { error: err.message }));
    // The first lease may come from inside a request (the first webhook message): the pool's
    // connections and timers must not carry that request's httpRequestId for ever after.
    const created: Shared = { boss, leases: 0, started: withoutLogContext(() => boss.start()).then(() => undefined) };
    shared = created;
    all.set(databaseUrl, created);
    // A start that fails is not kept: the next lease tries with a new instance.
    created.started.catch(() => {
      if (all.get(databaseUrl) === created) all.delete(databaseUrl);
    });
  }
  const mine = shared;
  mine.leases++;
  try {
    await mine.started;
  } catch (err) {
    mine.leases--;
    throw err;
  }
  let released = false;
  return {
    boss: mine.boss,
    release: async (timeoutMs) => {
      if (released) return;
      released = true;
      if (--mine.leases > 0) return;
      // Gone from the map before it stops: a lease taken meanwhile gets a new instance.
      if (all.get(databaseUrl) === mine) all.delete(databaseUrl);
      await mine.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
    },
  };
}
