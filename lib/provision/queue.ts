import "server-only";
import { PgBoss, type JobWithMetadata } from "pg-boss";
import { log } from "@/lib/log";

// Provisioning jobs live in PostgreSQL (pg-boss, in its own schema `pgboss`), so they
// survive restarts, and SKIP LOCKED fetching runs each job on one replica only. One queue
// per cluster, so a worker only ever takes jobs for the cluster it is connected to.
// The queue's `exclusive` policy allows one queued-or-running job per singletonKey, and
// the key is the request id: enqueueing a request twice (the approve handler, the
// reconciler, a second replica) yields one job.

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

export const PGBOSS_SCHEMA = "pgboss";

export const queueNameFor = (clusterName: string) => `provision/${clusterName}`;

export interface ProvisioningQueueOptions {
  databaseUrl: string;
  clusterName: string;
  settings?: Partial<QueueSettings>;
}

export class ProvisioningQueue {
  readonly name: string;
  readonly settings: QueueSettings;
  private readonly boss: PgBoss;

  constructor(opts: ProvisioningQueueOptions) {
    this.name = queueNameFor(opts.clusterName);
    this.settings = { ...DEFAULT_QUEUE_SETTINGS, ...opts.settings };
    this.boss = new PgBoss({
      connectionString: opts.databaseUrl,
      schema: PGBOSS_SCHEMA,
      max: 4,
      application_name: "arc-runner-portal-provisioning",
      // No cron schedules here; maintenance (expiry, heartbeats, retention) stays on.
      schedule: false,
    });
    this.boss.on("error", (err) => log.error("provisioning queue error", { error: err.message }));
  }

  /** Installs or migrates pg-boss's schema if needed, and creates the queue. */
  async start(): Promise<void> {
    await this.boss.start();
    await this.boss.createQueue(this.name, { policy: "exclusive", ...this.jobOptions() });
    const queue = await this.boss.getQueue(this.name);
    if (queue?.policy !== "exclusive") {
      log.warn("provisioning queue has the wrong policy; duplicate jobs are possible", { queue: this.name, policy: queue?.policy });
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

  /** Queues provisioning of a request; null when a job for it is already queued or running. */
  async enqueue(requestId: string): Promise<string | null> {
    return this.boss.send(this.name, { requestId } satisfies ProvisionJobData, { singletonKey: requestId, ...this.jobOptions() });
  }

  /** Runs `handler` for each job; a throw fails the attempt, and pg-boss retries it with backoff. */
  async work(
    handler: (job: JobWithMetadata<ProvisionJobData>) => Promise<void>,
    opts: { pollingIntervalSeconds: number; localConcurrency: number },
  ): Promise<void> {
    await this.boss.work(
      this.name,
      { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: opts.pollingIntervalSeconds, localConcurrency: opts.localConcurrency },
      async (jobs: JobWithMetadata<ProvisionJobData>[]) => {
        for (const job of jobs) await handler(job);
      },
    );
  }

  /** Jobs of a request in any state, oldest first (for tests and diagnostics). */
  async jobsFor(requestId: string) {
    return this.boss.findJobs<ProvisionJobData>(this.name, { key: requestId });
  }

  /** Stops fetching, lets running jobs finish (up to `timeoutMs`), and closes the pool. */
  async stop(timeoutMs = 15_000): Promise<void> {
    await this.boss.stop({ graceful: true, timeout: timeoutMs, close: true });
  }
}
