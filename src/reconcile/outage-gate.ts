import type { Logger } from '../observability/logger.ts';

export interface OutageGateOptions {
  /** One cheap call that succeeds only when the store answers (Salesforce: `GET …/limits`). */
  readonly probe: () => Promise<void>;
  /** True when the store answers but has no API calls left: keep holding. @defaultValue never */
  readonly exhausted?: () => boolean;
  /** Stops every worker of the queue taking jobs for `ms` (BullMQ's manual rate limit). */
  readonly hold: (ms: number) => Promise<void>;
  /** Told on every change of state (a metric). */
  readonly onChange?: (down: boolean) => void;
  readonly logger: Logger;
  /**
   * Waits between probes: the first quickly (a lost answer is no outage), then
   * at most the last value for as long as the outage lasts, so the queue goes on
   * within that long of the store's return. @defaultValue [250, 1000, 2000]
   */
  readonly probeDelaysMs?: readonly number[];
  /** Wait between probes while the org has no API calls left (they free up over the rolling day). @defaultValue 60000 */
  readonly exhaustedDelayMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The hold outlasts the wait before the next probe by this much, so jobs never slip through between. */
const HOLD_MARGIN_MS = 500;

/**
 * The worker's view of a store outage (issue #17): when a job meets a store
 * that does not answer at all (503, refused or reset connections, timeouts,
 * no API calls left), that is no fault of the job, and every other job would
 * meet it too. So the whole queue is held — no job is taken, none spends an
 * attempt — and one probe at a time decides when to go on. Once the probe
 * succeeds the hold lapses within a second or two, and the backlog drains at
 * full batches. One log line and one metric change per change of state.
 */
export class OutageGate {
  readonly #options: OutageGateOptions;
  readonly #delays: readonly number[];
  readonly #now: () => number;
  readonly #sleep: (ms: number) => Promise<void>;
  #down = false;
  #since = 0;
  #closed = false;
  #probing: Promise<void> | undefined;

  constructor(options: OutageGateOptions) {
    this.#options = options;
    this.#delays = options.probeDelaysMs ?? [250, 1000, 2000];
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  get down(): boolean {
    return this.#down;
  }

  /** Settles when the probing stops (tests, shutdown). */
  get settled(): Promise<void> {
    return this.#probing ?? Promise.resolve();
  }

  /** A job met the outage: hold the queue, and start probing unless already. */
  async tripped(cause: string): Promise<void> {
    if (!this.#down && !this.#closed) {
      this.#down = true;
      this.#since = this.#now();
      this.#options.onChange?.(true);
      this.#options.logger.warn(
        { cause },
        'CRM unavailable: the worker holds the queue (no job spends an attempt) and probes until it answers',
      );
      this.#probing = this.#probe();
    }
    await this.#hold(this.#delays[0] ?? 0);
  }

  close(): void {
    this.#closed = true;
  }

  async #hold(waitMs: number): Promise<void> {
    await this.#options.hold(waitMs + HOLD_MARGIN_MS).catch(() => {
      // Redis down as well: the jobs cannot be taken anyway.
    });
  }

  async #probe(): Promise<void> {
    for (let attempt = 0; !this.#closed; attempt += 1) {
      const exhausted = this.#options.exhausted?.() ?? false;
      const wait = exhausted
        ? (this.#options.exhaustedDelayMs ?? 60_000)
        : (this.#delays[Math.min(attempt, this.#delays.length - 1)] ?? 0);
      await this.#hold(wait);
      await this.#sleep(wait);
      if (this.#closed) break;
      try {
        await this.#options.probe();
      } catch {
        continue;
      }
      if (this.#options.exhausted?.()) continue;
      this.#down = false;
      this.#options.onChange?.(false);
      this.#options.logger.info(
        { outageMs: this.#now() - this.#since, probes: attempt + 1 },
        'CRM answers again: the worker takes jobs',
      );
      return;
    }
  }
}
