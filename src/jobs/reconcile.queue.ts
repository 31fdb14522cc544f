import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReconcileJobData } from '../reconcile/reconcile.processor.ts';

export const RECONCILE_QUEUE = 'reconcile';
export const RECONCILE_JOB = 'reconcile';
export const SWEEP_JOB = 'sweep';

export interface ReconcileJobSettings {
  /** Lets Genesys analytics settle before the conversation is read. */
  readonly delayMs: number;
  readonly attempts: number;
}

/**
 * One job per conversation at a time: a burst of events for a conversation
 * collapses into the job already waiting (the worker reads the newest event
 * from the event log), and an event that arrives while the conversation is
 * being reconciled (parked, then resumed) starts one more job right after
 * (`keepLastIfActive`). Failed jobs are kept with their reason for `failed list`.
 */
export function reconcileJobOptions(
  conversationId: string,
  settings: ReconcileJobSettings,
): JobsOptions {
  return {
    delay: settings.delayMs,
    attempts: settings.attempts,
    backoff: { type: 'exponential', delay: 2000, jitter: 0.5 },
    deduplication: { id: `conversation:${conversationId}`, keepLastIfActive: true },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: false,
  };
}

export function createReconcileQueue(connection: Redis, prefix: string): Queue<ReconcileJobData> {
  return new Queue<ReconcileJobData>(RECONCILE_QUEUE, { connection, prefix });
}
