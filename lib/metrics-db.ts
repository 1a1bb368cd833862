import "server-only";
import { db } from "@/lib/db";
import { RequestStatus } from "@/lib/generated/prisma/enums";
import { log } from "@/lib/log";
import type { MetricFamily } from "@/lib/metrics";
import { PGBOSS_SCHEMA } from "@/lib/provision/queue";

// Gauges read from PostgreSQL at scrape time: the same on every replica, because the
// state they describe is shared. Each query fails on its own: a scrape during a database
// outage still returns this process's counters, with arc_portal_database_up 0.

// pg-boss's job states (its JOB_STATES); every queue reports all of them, zeros included.
const JOB_STATES = ["created", "retry", "active", "completed", "cancelled", "failed"] as const;

async function requestsByStatus(): Promise<MetricFamily> {
  const rows = await db.runnerRequest.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = new Map(rows.map((r) => [r.status as string, r._count._all]));
  return {
    name: "arc_portal_runner_requests",
    help: "Runner scale set requests, by status.",
    type: "gauge",
    samples: Object.values(RequestStatus).map((status) => ({ labels: { status }, value: counts.get(status) ?? 0 })),
  };
}

/** Job counts per queue and state; null until pg-boss has created its schema (first worker start). */
async function jobsByQueueAndState(): Promise<MetricFamily | null> {
  const [present] = await db.$queryRawUnsafe<{ job: boolean; queue: boolean }[]>(
    `SELECT to_regclass('${PGBOSS_SCHEMA}.job') IS NOT NULL AS job, to_regclass('${PGBOSS_SCHEMA}.queue') IS NOT NULL AS queue`,
  );
  if (!present?.job) return null;
  const rows = await db.$queryRawUnsafe<{ name: string; state: string; n: number }[]>(
    `SELECT name, state::text AS state, count(*)::int AS n FROM ${PGBOSS_SCHEMA}.job GROUP BY name, state`,
  );
  const queues = new Set(rows.map((r) => r.name));
  if (present.queue) {
    for (const q of await db.$queryRawUnsafe<{ name: string }[]>(`SELECT name FROM ${PGBOSS_SCHEMA}.queue`)) queues.add(q.name);
  }
  const count = new Map(rows.map((r) => [`${r.name}\u0000${r.state}`, r.n]));
  return {
    name: "arc_portal_jobs",
    help: "Provisioning jobs in the pg-boss queue, by queue and state (created and retry are waiting; active is running).",
    type: "gauge",
    samples: [...queues].sort().flatMap((queue) => JOB_STATES.map((state) => ({ labels: { queue, state }, value: count.get(`${queue}\u0000${state}`) ?? 0 }))),
  };
}

export async function databaseFamilies(): Promise<MetricFamily[]> {
  const out: MetricFamily[] = [];
  let up = 1;
  for (const collect of [requestsByStatus, jobsByQueueAndState]) {
    try {
      const family = await collect();
      if (family) out.push(family);
    } catch (err) {
      up = 0;
      log.warn("metrics: a database gauge could not be read", { gauge: collect.name, error: (err as Error).message });
    }
  }
  out.push({ name: "arc_portal_database_up", help: "Whether this scrape could read the portal's database.", type: "gauge", samples: [{ labels: {}, value: up }] });
  return out;
}
