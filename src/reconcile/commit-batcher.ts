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
}

interface Pending {
  readonly change: OwnershipChange;
  resolve(result: CommitResult): void;
}

/**
 * Gathers the changes of concurrently running reconcile jobs into one
 * `store.commit()` call, so that 200 wrap-ups cost the CRM a couple of API calls
 * instead of hundreds (DESIGN §2.5). Each job still gets its own result. A store
 * that throws fails every change of that batch as retryable.
 */
export class CommitBatcher {
  readonly #store: OwnershipStore;
  readonly #maxBatch: number;
  readonly #windowMs: number;
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  readonly #inFlight = new Set<Promise<void>>();

  constructor(store: OwnershipStore, options: CommitBatcherOptions = {}) {
    this.#store = store;
    this.#maxBatch = options.maxBatch ?? 200;
    this.#windowMs = options.windowMs ?? 50;
  }

  commit(change: OwnershipChange): Promise<CommitResult> {
    return new Promise((resolve) => {
      this.#pending.push({ change, resolve });
      if (this.#pending.length >= this.#maxBatch) this.#flush();
      else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    });
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
    void run.finally(() => this.#inFlight.delete(run));
  }

  async #run(batch: Pending[]): Promise<void> {
    let results: CommitResult[];
    try {
      results = await this.#store.commit(batch.map((p) => p.change));
      if (results.length !== batch.length)
        throw new Error('store returned a result count that does not match');
    } catch (error) {
      const message = (error as Error).message;
      for (const p of batch)
        p.resolve({ status: 'failed', code: 'CB_ERR_CRM_UNAVAILABLE', message, retryable: true });
      return;
    }
    batch.forEach((p, index) => p.resolve(results[index]!));
  }
}
