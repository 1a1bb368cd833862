import "server-only";
import type { Kube } from "@/lib/kube/client";
import { log } from "@/lib/log";
import type { StepName } from "./apply";
import { ProvisioningQueue, type QueueSettings } from "./queue";
import { requestsAwaitingProvisioning } from "./reconcile";
import { observeProvisioning } from "@/lib/metrics";
import { RetryLater, runProvisioning } from "./run";

export interface WorkerOptions {
  databaseUrl: string;
  kube: Kube;
  cluster: { id: string; name: string };
  settings?: Partial<QueueSettings>;
  /**
   * How often the worker looks for jobs nobody woke it for: retries coming due, jobs another
   * replica sent (pg-boss polls; minimum 0.5). Jobs sent through `enqueue` start at once.
   */
  pollingIntervalSeconds?: number;
  /** How often to enqueue approved requests that have no job; 0 = only at start. */
  reconcileIntervalSeconds?: number;
  /**
   * Jobs this replica runs at once for this cluster, i.e. at most this many requests in flight
   * to its API server (each job makes its calls one after another). A decommission can hold a
   * slot for minutes while the controller cleans up, so there are several.
   */
  localConcurrency?: number;
  scaleSetGoneTimeoutMs?: number;
  afterStep?: (step: StepName, requestId: string) => Promise<void>;
}

const DEFAULT_LOCAL_CONCURRENCY = 8;

/** Takes provisioning jobs for one cluster from the queue and runs them. */
export class ProvisioningWorker {
  readonly queue: ProvisioningQueue;
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<number> | undefined;

  constructor(private readonly opts: WorkerOptions) {
    this.queue = new ProvisioningQueue({ databaseUrl: opts.databaseUrl, clusterName: opts.cluster.name, settings: opts.settings });
  }

  async start(): Promise<void> {
    await this.queue.start();
    await this.queue.work(
      async (job) => {
        const attempt = { retryCount: job.retryCount, retryLimit: job.retryLimit };
        const started = performance.now();
        const took = () => (performance.now() - started) / 1000;
        try {
          const outcome = await runProvisioning(job.data.requestId, attempt, {
            kube: this.opts.kube,
            clusterId: this.opts.cluster.id,
            scaleSetGoneTimeoutMs: this.opts.scaleSetGoneTimeoutMs,
            afterStep: this.opts.afterStep,
          });
          observeProvisioning(took(), String(outcome));
          log.info("provisioning job finished", { requestId: job.data.requestId, outcome, attempt: attempt.retryCount + 1 });
        } catch (err) {
          observeProvisioning(took(), err instanceof RetryLater ? "retry" : "error");
          const level = err instanceof RetryLater ? "warn" : "error";
          log[level]("provisioning attempt failed; pg-boss retries it", { requestId: job.data.requestId, error: (err as Error).message });
          throw err;
        }
      },
      { pollingIntervalSeconds: this.opts.pollingIntervalSeconds ?? 2, localConcurrency: this.opts.localConcurrency ?? DEFAULT_LOCAL_CONCURRENCY },
    );
    await this.reconcile();
    const every = this.opts.reconcileIntervalSeconds ?? 60;
    if (every > 0) {
      this.timer = setInterval(() => void this.reconcile().catch((err) => log.warn("reconcile failed", { error: (err as Error).message })), every * 1000);
      this.timer.unref();
    }
  }

  enqueue(requestId: string): Promise<string | null> {
    return this.queue.enqueue(requestId);
  }

  /** Enqueues every request of the cluster that awaits provisioning; returns how many got a new job. */
  reconcile(): Promise<number> {
    this.reconciling ??= (async () => {
      try {
        let created = 0;
        for (const id of await requestsAwaitingProvisioning(this.opts.cluster.id)) {
          if (await this.queue.enqueue(id)) created++;
        }
        if (created > 0) log.info("provisioning: enqueued requests that had no job", { cluster: this.opts.cluster.name, created });
        return created;
      } finally {
        this.reconciling = undefined;
      }
    })();
    return this.reconciling;
  }

  async stop(timeoutMs?: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.queue.stop(timeoutMs);
  }
}
