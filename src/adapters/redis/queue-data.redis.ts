import { Queue, type Job } from 'bullmq';
import type { RedisClient } from './connections.redis.ts';

/** Every state a BullMQ job can be in (`repeat` holds schedules, not jobs). */
const STATES = [
  'wait',
  'delayed',
  'prioritized',
  'waiting-children',
  'active',
  'completed',
  'failed',
] as const;

export interface QueueDataOptions {
  readonly prefix: string;
  /** The reconcile queue's name (`reconcile`). */
  readonly queueName: string;
}

export interface JobHoldings {
  readonly id: string;
  readonly state: string;
  readonly data: unknown;
  readonly failedReason?: string;
  readonly returnvalue?: unknown;
  readonly timestamp: number;
}

/**
 * The reconcile queue's jobs that concern a customer: those of its
 * conversations, and any whose data, reason, stack trace or return value
 * mentions a form of its number or id (a CRM error message may quote it).
 * Jobs carry ids only (reconcile-job.contract.ts), but a conversation id is
 * still the customer's.
 */
export class QueueData {
  readonly #queue: Queue;
  readonly #redis: RedisClient;
  readonly #options: QueueDataOptions;

  constructor(redis: RedisClient, options: QueueDataOptions) {
    this.#redis = redis;
    this.#options = options;
    this.#queue = new Queue(options.queueName, { connection: redis, prefix: options.prefix });
    this.#queue.on('error', () => {});
  }

  async jobsOf(conversationIds: ReadonlySet<string>, forms: readonly string[]): Promise<Job[]> {
    const jobs = await this.#queue.getJobs([...STATES], 0, -1);
    return jobs.filter((job): job is Job => {
      if (!job?.id) return false;
      const conversationId = (job.data as { conversationId?: unknown } | undefined)?.conversationId;
      if (typeof conversationId === 'string' && conversationIds.has(conversationId)) return true;
      const text = JSON.stringify([job.data, job.failedReason, job.stacktrace, job.returnvalue]);
      return forms.some((form) => text.includes(form));
    });
  }

  async export(jobs: readonly Job[]): Promise<JobHoldings[]> {
    return Promise.all(
      jobs.map(async (job) => ({
        id: job.id!,
        state: await job.getState(),
        data: job.data,
        ...(job.failedReason && { failedReason: job.failedReason }),
        ...(job.returnvalue !== undefined && { returnvalue: job.returnvalue }),
        timestamp: job.timestamp,
      })),
    );
  }

  /**
   * Removes the jobs (hash, logs, state entries), their de-duplication keys
   * and the queue's event stream entries naming them. An active job is
   * locked by its worker and cannot be removed: it is counted in `activeLeft`
   * and dropped by the worker itself (the erasure tombstone).
   */
  async erase(
    jobs: readonly Job[],
    conversationIds: ReadonlySet<string>,
    forms: readonly string[],
  ): Promise<{ jobs: number; activeLeft: number; streamEntries: number }> {
    let removed = 0;
    let activeLeft = 0;
    for (const job of jobs) {
      const done = await this.#queue.remove(job.id!);
      if (done === 1) removed += 1;
      else if ((await job.getState()) === 'active') activeLeft += 1;
    }
    const base = `${this.#options.prefix}:${this.#options.queueName}`;
    const dedup = [...conversationIds].map((id) => `${base}:de:conversation:${id}`);
    if (dedup.length > 0) await this.#redis.del(...dedup);
    const ids = new Set(jobs.map((job) => job.id!));
    const streamEntries = await this.#eraseStream(`${base}:events`, (fields) =>
      fields.some(
        (value, index) =>
          (index % 2 === 1 && fields[index - 1] === 'jobId' && ids.has(value)) ||
          [...conversationIds].some((id) => value.includes(id)) ||
          forms.some((form) => value.includes(form)),
      ),
    );
    return { jobs: removed, activeLeft, streamEntries };
  }

  /** Failed jobs older than `ageMs` (FAILED_JOB_RETENTION_DAYS); removed unless a dry run. */
  async purgeFailed(ageMs: number, dryRun: boolean, now: number): Promise<number> {
    if (!dryRun) return (await this.#queue.clean(ageMs, 0, 'failed')).length;
    const failed = await this.#queue.getJobs(['failed'], 0, -1);
    return failed.filter((job) => (job.finishedOn ?? job.timestamp) < now - ageMs).length;
  }

  async #eraseStream(key: string, matches: (fields: string[]) => boolean): Promise<number> {
    const entries = (await this.#redis.xrange(key, '-', '+')) as [string, string[]][];
    const ids = entries.filter(([, fields]) => matches(fields)).map(([id]) => id);
    if (ids.length > 0) await this.#redis.xdel(key, ...ids);
    return ids.length;
  }

  async close(): Promise<void> {
    await this.#queue.close().catch(() => {});
  }
}
