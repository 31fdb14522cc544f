import { z } from 'zod';
import type { Logger } from '../../observability/logger.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import type { ApiBudget } from '../../ports/ownership-store.port.ts';

/** Below the reserve, the allocation is read again at most this often. */
export const REFRESH_EVERY_MS = 60_000;

/**
 * The org's daily API allocation, kept from what Salesforce reports: the
 * `Sforce-Limit-Info: api-usage=used/limit` header of every REST answer and
 * `GET …/limits` (`DailyApiRequests {Max, Remaining}`), reference §2.7. Below
 * `reservePercent` of the allocation left, `belowReserve` is true (see the
 * ApiBudget port for what the bridge then stops doing). A metric and one log
 * line per change of state, never one per call.
 */
export class ApiReserve implements ApiBudget {
  readonly reservePercent: number;
  readonly #recorder: CallRecorder;
  readonly #logger: Logger;
  readonly #now: () => number;
  #usage: { used: number; limit: number } | null = null;
  #below = false;
  #observedAt = 0;
  #refresh: (() => Promise<void>) | undefined;
  #refreshing = false;

  constructor(
    reservePercent: number,
    recorder: CallRecorder,
    logger: Logger,
    now: () => number = Date.now,
  ) {
    this.reservePercent = reservePercent;
    this.#recorder = recorder;
    this.#logger = logger;
    this.#now = now;
  }

  /**
   * How to read the allocation again (`GET …/limits`). Below the reserve the
   * lookups make no call, so nothing else may report that the rolling day has
   * freed calls up: a read older than REFRESH_EVERY_MS is refreshed in the
   * background (at most one call a minute, and only while below).
   */
  refreshWith(refresh: () => Promise<void>): void {
    this.#refresh = refresh;
  }

  get belowReserve(): boolean {
    if (this.#below && this.#refresh && !this.#refreshing) {
      if (this.#now() - this.#observedAt >= REFRESH_EVERY_MS) {
        this.#refreshing = true;
        this.#observedAt = this.#now(); // one try a minute, answered or not
        void this.#refresh()
          .catch(() => {})
          .finally(() => (this.#refreshing = false));
      }
    }
    return this.#below;
  }

  get usage(): { used: number; limit: number } | null {
    return this.#usage;
  }

  /** What Salesforce reported: `remaining` calls of `limit` left in the rolling day. */
  observe(remaining: number, limit: number): void {
    if (!(limit > 0) || !Number.isFinite(remaining)) return;
    this.#usage = { used: Math.max(0, limit - remaining), limit };
    this.#observedAt = this.#now();
    this.#recorder.budget('salesforce', remaining, limit);
    const below = remaining < (limit * this.reservePercent) / 100;
    if (below === this.#below) return;
    this.#below = below;
    this.#recorder.reserve?.('salesforce', below);
    const detail = { remaining, limit, reservePercent: this.reservePercent };
    if (below)
      this.#logger.warn(
        detail,
        'salesforce API allocation below the reserve: lookups answer from the caches only, sweep and backfill pause, writes go on in full batches',
      );
    else this.#logger.info(detail, 'salesforce API allocation above the reserve again');
  }
}

/** `GET …/limits`: the daily API allocation (reference §2.7). */
const Limits = z.object({
  DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }).optional(),
});

/** One `GET …/limits` call: proves Salesforce answers and reports the allocation. */
export async function readLimits(
  client: SalesforceClient,
  recorder: CallRecorder,
  reserve: ApiReserve | undefined,
): Promise<void> {
  const limits = await client.request(
    'ping',
    { method: 'GET', url: `${client.dataPath}/limits` },
    Limits,
  );
  const daily = limits.DailyApiRequests;
  if (!daily) return;
  if (reserve) reserve.observe(daily.Remaining, daily.Max);
  else recorder.budget('salesforce', daily.Remaining, daily.Max);
}
