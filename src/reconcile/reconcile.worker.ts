import { UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { isBridgeError, type BridgeError } from '../errors/catalogue.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import { ReconcileJobData } from './reconcile-job.contract.ts';
import {
  reconcileConversation,
  type ReconcileDeps,
  type ReconcileOutcome,
} from './reconcile.processor.ts';
import { RECONCILE_QUEUE, SWEEP_JOB } from './reconcile.queue.ts';

export interface ReconcileWorkerOptions {
  readonly connection: ConnectionOptions;
  readonly prefix: string;
  readonly concurrency: number;
  /** BullMQ job lock; a killed worker's job is taken over after it expires. @defaultValue 30000 */
  readonly lockDurationMs: number;
  readonly deps: ReconcileDeps;
  readonly sweep: (() => Promise<number>) | null;
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Redis-unreachable errors, reported once per outage elsewhere rather than once per retry. */
  readonly isOutage: (error: unknown) => boolean;
}

/**
 * The BullMQ worker: parses each job, runs the reconcile use case, and maps
 * permanent failures (bad data, CRM rejections) to UnrecoverableError so they
 * are kept as failed with their reason at once, while transient ones retry
 * with exponential backoff and jitter.
 */
export function createReconcileWorker(options: ReconcileWorkerOptions): Worker {
  const { metrics, logger, clock } = options;
  const processor = async (job: Job): Promise<ReconcileOutcome | { swept: number }> => {
    if (job.name === SWEEP_JOB) {
      if (!options.sweep) return { swept: 0 };
      return { swept: await options.sweep() };
    }
    const data = ReconcileJobData.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError(`job data is not valid: ${data.error.message}`);
    try {
      const outcome = await reconcileConversation(data.data, options.deps);
      const label = outcome.status === 'skipped' ? 'skipped' : outcome.status;
      metrics.jobOutcomes.inc({ outcome: label });
      if (outcome.status !== 'skipped') {
        metrics.reconcileLatency.observe(Math.max(0, clock.now() - data.data.enqueuedAt) / 1000);
      }
      return outcome;
    } catch (error) {
      if (isBridgeError(error) && (error as BridgeError).permanent) {
        throw new UnrecoverableError(`${(error as BridgeError).code}: ${(error as Error).message}`);
      }
      throw error;
    }
  };

  const worker = new Worker(RECONCILE_QUEUE, processor, {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: Math.max(1000, Math.floor(options.lockDurationMs / 2)),
    maxStalledCount: 3,
    autorun: false,
  });
  worker.on('failed', (job, error) => {
    const final =
      !job || error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    metrics.jobOutcomes.inc({ outcome: final ? 'failed' : 'retried' });
    const log = final ? logger.error.bind(logger) : logger.warn.bind(logger);
    log(
      {
        jobId: job?.id,
        conversationId: job?.data?.conversationId,
        attempt: job?.attemptsMade,
        err: error,
      },
      final ? 'reconcile failed for good' : 'reconcile will retry',
    );
  });
  worker.on('error', (error) => {
    if (!options.isOutage(error)) logger.error({ err: error }, 'worker error');
  });
  return worker;
}
