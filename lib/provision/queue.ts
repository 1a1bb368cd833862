import "server-only";
import type { JobWithMetadata, PgBoss } from "pg-boss";
import { withinTime } from "@/lib/deadline";
import { log } from "@/lib/log";
import { leaseBoss, PGBOSS_SCHEMA, type BossLease } from "./shared-boss";

// Provisioning jobs live in PostgreSQL (pg-boss, in its own schema `pgboss`), so they
// survive restarts, and SKIP LOCKED fetching runs each job on one replica only. One queue
// per cluster, so a worker only ever takes jobs for the cluster it is connected to.
// The queue's `exclusive` policy allows one queued-or-running job per singletonKey, and
// the key is the request id: enqueueing a request twice (the approve handler, the
// reconciler, a second replica) yields one job.
//
// Pick-up is immediate without LISTEN/NOTIFY: every job is sent through the worker of its
// cluster in this process (the approve handler and the reconciler both go through it), so
// `enqueue` wakes an idle slot directly. A slot that finishes a job fetches again at once,
// and a slot that gets a job wakes another idle one, so a backlog spreads over all slots
// within a few fetches and drains without waiting for polls. Polling remains the floor for
// retries coming due and for jobs another replica sent: only the first slot polls at the
// worker's interval; the others poll slowly and are woken when there is work.
//
// Every cluster's queue runs on the process's one pg-boss instance and pool (shared-boss.ts);
// the queue, its slots, its wake-ups and its job options stay its own.

export interface ProvisionJobData {
  requestId: string;
}

export interface QueueSettings {
  /** Attempts after the first, for a refused or unreachable API server. */
  retryLimit: number;
  /** First delay between attempts; doubles (with jitter) each time. */
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** An attempt running longer is failed and retried. */
  expireInSeconds: number;
  /** A worker that stops sending heartbeats (crashed replica) loses its job to another after this. */
  heartbeatSeconds: number;
}

export const DEFAULT_QUEUE_SETTINGS: QueueSettings = {
  retryLimit: 8,
  retryDelaySeconds: 5,
  retryDelayMaxSeconds: 300,
  expireInSeconds: 900,
  heartbeatSeconds: 30,
};

export { PGBOSS_SCHEMA };

export const queueNameFor = (clusterName: string) => `provision/${clusterName}`;

export interface ProvisioningQueueOptions {
  databaseUrl: string;
  clusterName: string;
  settings?: Partial<QueueSettings>;
}

/** How often the slots other than the first look for jobs on their own (they are woken when there is work). */
const IDLE_SLOT_POLL_SECONDS = 30;

type Slot = { id: string | undefined; busy: boolean };

export class ProvisioningQueue {
  readonly name: string;
  readonly settings: QueueSettings;
  private readonly databaseUrl: string;
  private lease: BossLease | undefined;
  private readonly slots: Slot[] = [];

  constructor(opts: ProvisioningQueueOptions) {
    this.name = queueNameFor(opts.clusterName);
    this.settings = { ...DEFAULT_QUEUE_SETTINGS, ...opts.settings };
    this.databaseUrl = opts.databaseUrl;
  }

  private get boss(): PgBoss {
    if (!this.lease) throw new Error(`provisioning queue ${this.name} is not started`);
    return this.lease.boss;
  }

  /** Joins the process's pg-boss (installing or migrating its schema if needed), and creates the queue. */
  async start(): Promise<void> {
    this.lease ??= await leaseBoss(this.databaseUrl);
    try {
      await this.boss.createQueue(this.name, { policy: "exclusive", ...this.jobOptions() });
      const queue = await this.boss.getQueue(this.name);
      if (queue?.policy !== "exclusive") {
        log.warn("provisioning queue has the wrong policy; duplicate jobs are possible", { queue: this.name, policy: queue?.policy });
      }
    } catch (err) {
      await this.stop(1000).catch(() => undefined);
      throw err;
    }
  }

  private jobOptions() {
    const s = this.settings;
    return {
      retryLimit: s.retryLimit,
      retryDelay: s.retryDelaySeconds,
      retryBackoff: true,
      retryDelayMax: s.retryDelayMaxSeconds,
      expireInSeconds: s.expireInSeconds,
      heartbeatSeconds: s.heartbeatSeconds,
    };
  }

  /**
   * Queues provisioning of a request and wakes an idle slot of this process to take it now;
   * null when a job for it is already queued or running.
   */
  async enqueue(requestId: string): Promise<string | null> {
    const id = await this.boss.send(this.name, { requestId } satisfies ProvisionJobData, { singletonKey: requestId, ...this.jobOptions() });
    if (id) this.wakeIdleSlot();
    return id;
  }

  /** Makes one idle slot fetch now instead of at its next poll; none when all are busy (each fetches again when done). */
  private wakeIdleSlot(except?: Slot): void {
    const idle = this.slots.find((s) => s !== except && !s.busy && s.id);
    // No lease: the queue is stopping, and a job finishing now must not fail for want of a wake-up.
    if (idle) this.lease?.boss.notifyWorker(idle.id!);
  }

  /**
   * Runs `handler` for each job, one job at a time in each of `localConcurrency` slots; a throw
   * fails the attempt, and pg-boss retries it with backoff. Each slot is a pg-boss worker of its
   * own (batchSize 1), so every job is completed, failed and heartbeaten on its own.
   */
  async work(
    handler: (job: JobWithMetadata<ProvisionJobData>) => Promise<void>,
    opts: { pollingIntervalSeconds: number; localConcurrency: number },
  ): Promise<void> {
    for (let i = 0; i < opts.localConcurrency; i++) {
      const slot: Slot = { id: undefined, busy: false };
      this.slots.push(slot);
      const every = i === 0 ? opts.pollingIntervalSeconds : Math.max(opts.pollingIntervalSeconds, IDLE_SLOT_POLL_SECONDS);
      slot.id = await this.boss.work(
        this.name,
        { includeMetadata: true, batchSize: 1, localConcurrency: 1, pollingIntervalSeconds: every },
        async (jobs: JobWithMetadata<ProvisionJobData>[]) => {
          slot.busy = true;
          // There may be more where this came from.
          this.wakeIdleSlot(slot);
          try {
            for (const job of jobs) await handler(job);
          } finally {
            slot.busy = false;
            // Fetch again at once rather than after the poll interval: the queue may hold more.
            if (slot.id) this.lease?.boss.notifyWorker(slot.id);
          }
        },
      );
    }
  }

  /** Jobs of a request in any state, oldest first (for tests and diagnostics). */
  async jobsFor(requestId: string) {
    return this.boss.findJobs<ProvisionJobData>(this.name, { key: requestId });
  }

  /**
   * Stops this queue's slots only (other clusters' queues, and other instances of this one, go
   * on), lets their running jobs finish for up to `timeoutMs`, and gives back the lease: the
   * last queue of the process to stop stops pg-boss and closes the pool.
   */
  async stop(timeoutMs = 15_000): Promise<void> {
    const lease = this.lease;
    if (!lease) return;
    this.lease = undefined;
    const ids = this.slots.splice(0).flatMap((s) => (s.id ? [s.id] : []));
    const drained = Promise.all(ids.map((id) => lease.boss.offWork(this.name, { id, wait: true })));
    const late = new Error("jobs still running");
    await withinTime(drained, timeoutMs, () => late).catch((err) => {
      if (err !== late) throw err;
      log.warn("provisioning queue stopped with jobs still running", { queue: this.name, timeoutMs });
    });
    await lease.release(timeoutMs);
  }
}
