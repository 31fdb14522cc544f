import type {
  CommitResult,
  OwnershipChange,
  OwnershipStore,
} from '../ports/ownership-store.port.ts';

export interface CommitBatcherOptions {
  /** sObject Collections take at most 200 records a call. @defaultValue 200 */
  readonly maxBatch?: number;
  /** How long the first change of a batch waits for company. @defaultValue 50 */
  readonly windowMs?: number;
  /**
   * Freshness bound of the adaptive batch: while a batch is being written, the
   * next one keeps gathering until that write returns, but no change waits
   * longer than this in all. 0 = fixed window only. @defaultValue 0
   */
  readonly maxWaitMs?: number;
  /**
   * While true (the CRM's API reserve is being kept), the window is
   * `economyWindowMs`, so batches gather up to the full 200 changes and each
   * write call carries as many as it can. @defaultValue never
   */
  readonly economy?: () => boolean;
  /** @defaultValue 2000 */
  readonly economyWindowMs?: number;
  readonly now?: () => number;
}

/** Commits one change and answers its own result (the processor's view of the store). */
export interface OwnershipCommitter {
  commit(change: OwnershipChange): Promise<CommitResult>;
}

interface Pending {
  readonly change: OwnershipChange;
  readonly since: number;
  resolve(result: CommitResult): void;
}

/**
 * Gathers the changes of concurrently running reconcile jobs into one
 * `store.commit()` call, so that 200 wrap-ups cost the CRM a couple of API calls
 * instead of hundreds (DESIGN §2.5). Each job still gets its own result. A store
 * that throws fails every change of that batch as retryable.
 *
 * The batch adapts to the CRM's latency (group commit): when the window ends
 * while the previous batch is still being written, the changes keep gathering
 * until that write returns, up to `maxWaitMs` after the oldest arrived. At 50
 * wrap-ups a second and 250 ms per Salesforce call, batches grow from ~5 to
 * ~25 changes and the calls per wrap-up fall accordingly; with a fast CRM or a
 * full batch nothing waits longer than the window.
 */
export class CommitBatcher implements OwnershipCommitter {
  readonly #store: OwnershipStore;
  readonly #maxBatch: number;
  readonly #windowMs: number;
  readonly #maxWaitMs: number;
  readonly #economy: () => boolean;
  readonly #economyWindowMs: number;
  readonly #now: () => number;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(store: OwnershipStore, options: CommitBatcherOptions = {}) {
    this.#store = store;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#windowMs = options.windowMs ?? 50;
    this.#maxWaitMs = options.maxWaitMs ?? 0;
    this.#economy = options.economy ?? (() => false);
    this.#economyWindowMs = options.economyWindowMs ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  commit(change: OwnershipChange): Promise<CommitResult> {
    return new Promise((resolve) => {
      this.#pending.push({ change, since: this.#now(), resolve });
      if (this.#pending.length >= this.#maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#due(), this.#window());
    });
  }

  #window(): number {
    return this.#economy() ? Math.max(this.#windowMs, this.#economyWindowMs) : this.#windowMs;
  }

  /** The window ended: send now, unless a write is under way and the oldest change may still wait. */
  #due(): void {
    this.#timer = undefined;
    const oldest = this.#pending[0];
    if (!oldest) return;
    const waited = this.#now() - oldest.since;
    if (this.#inFlight.size > 0 && waited < this.#maxWaitMs) {
      // Sent when the write under way returns (#sent), or at the freshness bound.
      this.#timer = setTimeout(() => this.#due(), this.#maxWaitMs - waited);
      return;
    }
    this.#flush();
  }

  /** A write returned: what gathered meanwhile goes now if its window is over. */
  #sent(): void {
    const oldest = this.#pending[0];
    if (oldest && this.#now() - oldest.since >= this.#window()) this.#flush();
  }

  /** Flushes what is pending and waits for every batch under way (shutdown). */
  async drain(): Promise<void> {
    this.#flush();
    await Promise.all([...this.#inFlight]);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending.splice(0, this.#maxBatch);
    if (this.#pending.length > 0) this.#timer = setTimeout(() => this.#flush(), 0);
    const run = this.#run(batch);
    this.#inFlight.add(run);
    void run.finally(() => {
      this.#inFlight.delete(run);
      this.#sent();
    });
  }

  async #run(batch: Pending[]): Promise<void> {
    const results = await this.#commit(batch.map((p) => p.change));
    // A permanent error for the whole request (one bad record can make Salesforce
    // refuse all of them) must not fail every job with it: commit one by one to
    // find the records really at fault.
    const allRefused =
      batch.length > 1 &&
      results.every((r) => r.status === 'failed' && !r.retryable) &&
      new Set(results.map((r) => (r.status === 'failed' ? r.code : ''))).size === 1;
    if (!allRefused) {
      batch.forEach((p, index) => p.resolve(results[index]!));
      return;
    }
    for (const p of batch) p.resolve((await this.#commit([p.change]))[0]!);
  }

  async #commit(changes: OwnershipChange[]): Promise<CommitResult[]> {
    try {
      const results = await this.#store.commit(changes);
      if (results.length !== changes.length) {
        throw new Error('store returned a result count that does not match');
      }
      return results;
    } catch (error) {
      const message = (error as Error).message;
      return changes.map(() => ({
        status: 'failed' as const,
        code: 'CB_ERR_CRM_UNAVAILABLE',
        message,
        retryable: true,
      }));
    }
  }
}
