import type { ReconcileJobData } from './reconcile-job.contract.ts';

/**
 * Where reconcile jobs wait for a worker. One job per conversation at a time:
 * a job for a conversation that already has one waiting collapses into it.
 */
export interface ReconcileQueue {
  /** Resolves only once every job is durably queued; rejects when the queue cannot take them. */
  enqueue(jobs: readonly ReconcileJobData[]): Promise<void>;
}
