import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';

/**
 * One pause shared by every request of a GenesysClient (one token): after a
 * 429, or once the per-token budget is below the reserve, every request waits
 * for the window to reset instead of hammering the token. A metric and one
 * log line per change of state.
 */
export class RatePause {
  #until = 0;
  #paused = false;
  readonly #recorder: CallRecorder;
  readonly #logger: Logger;
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    recorder: CallRecorder,
    logger: Logger,
    now: () => number,
    sleep: (ms: number) => Promise<void>,
  ) {
    this.#recorder = recorder;
    this.#logger = logger;
    this.#now = now;
    this.#sleep = sleep;
  }

  /** All requests hold off for `ms` (the longest pause asked for wins). */
  pauseFor(ms: number): void {
    const until = this.#now() + ms;
    if (until <= this.#until) return;
    this.#until = until;
    if (this.#paused) return;
    this.#paused = true;
    this.#recorder.reserve?.('genesys', true);
    this.#logger.warn(
      { waitMs: ms },
      'genesys rate limit near or reached: every request waits for the window to reset',
    );
  }

  /** Waits out the pause, if any. */
  async wait(): Promise<void> {
    const wait = this.#until - this.#now();
    if (wait > 0) await this.#sleep(wait);
    if (this.#paused && this.#now() >= this.#until) {
      this.#paused = false;
      this.#recorder.reserve?.('genesys', false);
      this.#logger.info('genesys rate limit window reset: requests go on');
    }
  }
}
