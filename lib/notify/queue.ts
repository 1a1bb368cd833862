import "server-only";
import { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { log, withoutLogContext } from "@/lib/log";
import { deliverWebhook } from "./deliver";
import { PGBOSS_SCHEMA } from "@/lib/provision/queue";

// Webhook deliveries are jobs in PostgreSQL (pg-boss): a slow or failing
// receiver is retried with backoff and never holds up a decision.

const QUEUE = "webhook";
const RETRY = { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 };

/** The queue's PostgreSQL connections name themselves so (pg_stat_activity). */
export const WEBHOOK_APPLICATION_NAME = "arc-runner-portal-webhooks";

type Holder = { boss: Promise<PgBoss> };
const holder = globalThis as unknown as { portalWebhooks?: Holder };

/**
 * Started by the first message, i.e. inside some request's handler: outside its log context,
 * or the queue's connections and timers would stamp that request's id on their lines forever.
 */
function boss(): Promise<PgBoss> {
  holder.portalWebhooks ??= {
    boss: withoutLogContext(async () => {
      const b = new PgBoss({ connectionString: env().DATABASE_URL, schema: PGBOSS_SCHEMA, max: 2, application_name: WEBHOOK_APPLICATION_NAME, schedule: false });
      b.on("error", (err) => log.error("webhook queue error", { error: err.message }));
      await b.start();
      await b.createQueue(QUEUE, RETRY);
      return b;
    }),
  };
  return holder.portalWebhooks.boss;
}

/** Queues one message for the configured webhook; a no-op without WEBHOOK_URL. Never throws. */
export async function queueWebhook(payload: unknown): Promise<void> {
  const url = env().WEBHOOK_URL;
  if (!url) return;
  try {
    await (await boss()).send(QUEUE, { url, payload }, RETRY);
  } catch (err) {
    log.warn("webhook not queued", { error: (err as Error).message });
  }
}

/** Delivers queued messages; a failed attempt throws so pg-boss retries it. */
export async function startWebhookWorker(pollingIntervalSeconds = 2): Promise<void> {
  if (!env().WEBHOOK_URL) return;
  const b = await boss();
  await b.work<{ url: string; payload: unknown }>(QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
    if (!job) return;
    try {
      await deliverWebhook(job.data.url, job.data.payload);
    } catch (err) {
      log.warn("webhook delivery failed; will retry", { jobId: job.id, error: (err as Error).message });
      throw err;
    }
  });
}

export async function stopWebhooks(): Promise<void> {
  const h = holder.portalWebhooks;
  holder.portalWebhooks = undefined;
  if (h) await (await h.boss).stop({ graceful: true, close: true, timeout: 5_000 });
}
