import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import type { ApiBudget } from '../../ports/ownership-store.port.ts';

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
  #usage: { used: number; limit: number } | null = null;
  #below = false;

  constructor(reservePercent: number, recorder: CallRecorder, logger: Logger) {
    this.reservePercent = reservePercent;
    this.#recorder = recorder;
    this.#logger = logger;
  }

  get belowReserve(): boolean {
    return this.#below;
  }

  get usage(): { used: number; limit: number } | null {
    return this.#usage;
  }

  /** What Salesforce reported: `remaining` calls of `limit` left in the rolling day. */
  observe(remaining: number, limit: number): void {
    if (!(limit > 0) || !Number.isFinite(remaining)) return;
    this.#usage = { used: Math.max(0, limit - remaining), limit };
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
