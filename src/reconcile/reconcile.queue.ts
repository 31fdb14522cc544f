import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import type { ReconcileQueue } from './reconcile-queue.port.ts';

export const RECONCILE_QUEUE = 'reconcile';
export const RECONCILE_JOB = 'reconcile';
export const SWEEP_JOB = 'sweep';
const SWEEP_SCHEDULER = 'continuity-sweep';
/** The worker's own backoff (reconcileBackoff): busy records soon, anything else doubling from 2 s. */
export const RECONCILE_BACKOFF = { type: 'reconcile', delay: 2000 } as const;

export interface ReconcileJobSettings {
  /** Lets Genesys analytics settle before the conversation is read. */
  readonly delayMs: number;
  readonly attempts: number;
  /** Failed jobs are removed after this many days (FAILED_JOB_RETENTION_DAYS). @defaultValue 30 */
  readonly failedJobRetentionDays?: number;
}

/**
 * One job per conversation at a time: a burst of events for a conversation
 * collapses into the job already waiting (the worker reads the newest event
 * from the event log), and an event that arrives while the conversation is
 * being reconciled (parked, then resumed) starts one more job right after
 * (`keepLastIfActive`). Failed jobs are kept with their reason for `failed list`,
 * for FAILED_JOB_RETENTION_DAYS (BullMQ drops older ones when a job fails; the
 * daily retention pass drops them too).
 */
export function reconcileJobOptions(
  conversationId: string,
  settings: ReconcileJobSettings,
): JobsOptions {
  return {
    delay: settings.delayMs,
    attempts: settings.attempts,
    backoff: RECONCILE_BACKOFF,
    deduplication: { id: `conversation:${conversationId}`, keepLastIfActive: true },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: (settings.failedJobRetentionDays ?? 30) * 24 * 3600 },
  };
}

/**
 * The reconcile queue on BullMQ: the `ReconcileQueue` port for the use cases,
 * plus what operators and the worker role need (`bull` for `failed list|retry`,
 * the sweep schedule, queue depth for metrics).
 */
export class BullReconcileQueue implements ReconcileQueue {
  readonly bull: Queue<ReconcileJobData>;
  readonly #settings: ReconcileJobSettings;

  constructor(connection: ConnectionOptions, prefix: string, settings: ReconcileJobSettings) {
    this.bull = new Queue<ReconcileJobData>(RECONCILE_QUEUE, { connection, prefix });
    this.bull.on('error', () => {}); // surfaced through 503s and /readyz
    this.#settings = settings;
  }

  async enqueue(jobs: readonly ReconcileJobData[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.bull.addBulk(
      jobs.map((data) => ({
        name: RECONCILE_JOB,
        data,
        opts: reconcileJobOptions(data.conversationId, this.#settings),
      })),
    );
  }

  /** The repeatable sweep; a BullMQ scheduler, so one sweep runs however many workers there are. */
  async scheduleSweep(everyMs: number): Promise<void> {
    await this.bull.upsertJobScheduler(
      SWEEP_SCHEDULER,
      { every: everyMs },
      { name: SWEEP_JOB, data: { conversationId: 'sweep', source: 'sweep', enqueuedAt: 0 } },
    );
  }

  counts(): Promise<Record<string, number>> {
    return this.bull.getJobCounts('waiting', 'delayed', 'active', 'failed');
  }

  async close(): Promise<void> {
    await this.bull.close().catch(() => {});
  }
}
