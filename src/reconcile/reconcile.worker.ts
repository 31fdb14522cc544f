import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { isBridgeError, type BridgeError } from '../errors/catalogue.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import { ReconcileJobData } from './reconcile-job.contract.ts';
import {
  reconcileConversation,
  StoreUnavailableError,
  type ReconcileDeps,
  type ReconcileOutcome,
} from './reconcile.processor.ts';
import { RECONCILE_BACKOFF, RECONCILE_QUEUE, SWEEP_JOB } from './reconcile.queue.ts';
import type { OutageGate } from './outage-gate.ts';

/** Sweep and backfill jobs wait this long at a time while the CRM's API reserve is kept. */
export const RESERVE_RECHECK_MS = 60_000;

/** First retry of a job whose record was busy (a row lock): soon, spread so they do not collide again. */
const BUSY_RETRY_MIN_MS = 250;
const BUSY_RETRY_SPREAD_MS = 1000;

/**
 * Backoff of a failed job: a busy record (RecordBusyError) soon, with jitter;
 * anything else doubling from the job's delay (2 s), with half of it jitter.
 */
export function reconcileBackoff(
  attemptsMade: number,
  error: Error | undefined,
  delayMs = 2000,
  random = Math.random,
): number {
  if (error?.name === 'RecordBusyError')
    return Math.floor(BUSY_RETRY_MIN_MS + random() * BUSY_RETRY_SPREAD_MS);
  const max = Math.round(2 ** Math.max(0, attemptsMade - 1) * delayMs);
  return Math.floor(max / 2 + random() * (max / 2));
}

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
  /** Holds the whole queue while the store does not answer; null: every failure is the job's. */
  readonly outage?: OutageGate | null;
  /** True while the CRM's API reserve is kept: sweep and backfill jobs wait. @defaultValue never */
  readonly belowReserve?: () => boolean;
}

/**
 * The BullMQ worker: parses each job, runs the reconcile use case, and maps
 * permanent failures (bad data, CRM rejections) to UnrecoverableError so they
 * are kept as failed with their reason at once, while transient ones retry
 * with backoff (reconcileBackoff). A store that does not answer at all is no
 * fault of the job: the queue is held (OutageGate) and the job goes back to
 * wait without spending an attempt (BullMQ's manual rate limit).
 */
export function createReconcileWorker(options: ReconcileWorkerOptions): Worker {
  const { metrics, logger, clock } = options;
  const processor = async (
    job: Job,
    token?: string,
  ): Promise<ReconcileOutcome | { swept: number }> => {
    if (job.name === SWEEP_JOB) {
      if (!options.sweep) return { swept: 0 };
      return { swept: await options.sweep() };
    }
    const data = ReconcileJobData.safeParse(job.data);
    if (!data.success) throw new UnrecoverableError(`job data is not valid: ${data.error.message}`);
    if (data.data.source !== 'event' && options.belowReserve?.() && token) {
      // Sweep and backfill can wait for the allocation to free up; events cannot.
      await job.moveToDelayed(clock.now() + RESERVE_RECHECK_MS, token);
      throw new DelayedError();
    }
    try {
      const outcome = await reconcileConversation(data.data, options.deps);
      const label = outcome.status === 'skipped' ? 'skipped' : outcome.status;
      metrics.jobOutcomes.inc({ outcome: label });
      if (outcome.status !== 'skipped') {
        metrics.reconcileLatency.observe(Math.max(0, clock.now() - data.data.enqueuedAt) / 1000);
      }
      return outcome;
    } catch (error) {
      if (error instanceof StoreUnavailableError && options.outage) {
        await options.outage.tripped(error.message);
        throw Worker.RateLimitError();
      }
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
    // A limiter no job ever reaches: BullMQ only honours a manual rate limit
    // (the outage hold) when the worker has one.
    limiter: { max: 1_000_000, duration: 1000 },
    settings: {
      backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
        reconcileBackoff(attemptsMade, error, RECONCILE_BACKOFF.delay),
    },
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
