import type { Logger } from '../observability/logger.ts';
import type { Clock } from '../ports/clock.port.ts';

export interface RetentionScheduleOptions {
  /** Runs the pass (PrivacyService.purge as caller `worker`). */
  readonly run: () => Promise<unknown>;
  /** True for the one worker that may run the pass of `day` (`YYYY-MM-DD`, UTC). */
  readonly claim: (day: string) => Promise<boolean>;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How often a worker checks whether today's pass ran. @defaultValue 1 hour */
  readonly checkEveryMs?: number;
}

/**
 * The daily retention pass (docs/privacy.md): every worker checks once an
 * hour (and soon after it starts) whether today's pass has been claimed; the
 * first to claim the day runs it. A timer, not a BullMQ job: a repeatable job
 * would sit in the reconcile queue as a delayed job all day. A pass that fails
 * is tried again the next day (it is idempotent; `privacy purge` runs it now).
 */
export function startRetentionSchedule(options: RetentionScheduleOptions): () => void {
  const check = async () => {
    const day = new Date(options.clock.now()).toISOString().slice(0, 10);
    try {
      if (await options.claim(day)) await options.run();
    } catch (error) {
      options.logger.warn({ err: error }, 'privacy: the daily retention pass failed');
    }
  };
  const first = setTimeout(() => void check(), 60_000);
  const every = setInterval(() => void check(), options.checkEveryMs ?? 3_600_000);
  first.unref();
  every.unref();
  return () => {
    clearTimeout(first);
    clearInterval(every);
  };
}
