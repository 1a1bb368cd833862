import "server-only";
import type { PgBoss } from "pg-boss";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { leaseBoss, type BossLease } from "@/lib/provision/shared-boss";
import { deliverWebhook } from "./deliver";

// Webhook deliveries are jobs in PostgreSQL (pg-boss): a slow or failing
// receiver is retried with backoff and never holds up a decision. They share the
// process's one pg-boss instance and pool with the provisioning queues.

const QUEUE = "webhook";
const RETRY = { retryLimit: 6, retryDelay: 5, retryBackoff: true, retryDelayMax: 600 };

type Holder = { lease: Promise<BossLease> };
const holder = globalThis as unknown as { portalWebhooks?: Holder };

async function boss(): Promise<PgBoss> {
  const h = (holder.portalWebhooks ??= {
    lease: (async () => {
      const lease = await leaseBoss(env().DATABASE_URL);
      try {
        await lease.boss.createQueue(QUEUE, RETRY);
      } catch (err) {
        await lease.release(1_000);
        throw err;
      }
      return lease;
    })(),
  });
  // A failed start is not kept: the next message tries again.
  h.lease.catch(() => {
    if (holder.portalWebhooks === h) holder.portalWebhooks = undefined;
  });
  return (await h.lease).boss;
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
  const lease = await h?.lease.catch(() => undefined);
  if (!lease) return;
  await lease.boss.offWork(QUEUE, { wait: true });
  await lease.release(5_000);
}
