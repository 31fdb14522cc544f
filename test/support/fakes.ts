import { customerKeyId, type CustomerKey } from '../../src/domain/customer-key.ts';
import type { CustomerRecord } from '../../src/domain/ownership.ts';
import type { CacheLookup, CustomerCache } from '../../src/ports/customer-cache.port.ts';
import type {
  CommitResult,
  OwnershipChange,
  OwnershipStore,
} from '../../src/ports/ownership-store.port.ts';

/** A store whose answers and delays the test controls. */
export class FakeStore implements OwnershipStore {
  readonly kind = 'sqlite' as const;
  readonly records = new Map<string, CustomerRecord>();
  reads = 0;
  delayMs = 0;
  failWith: Error | null = null;

  put(record: CustomerRecord): this {
    this.records.set(customerKeyId(record.key), record);
    return this;
  }

  async findCustomer(key: CustomerKey): Promise<CustomerRecord | null> {
    this.reads += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failWith) throw this.failWith;
    return this.records.get(customerKeyId(key)) ?? null;
  }

  async commit(changes: readonly OwnershipChange[]): Promise<CommitResult[]> {
    return changes.map(() => ({
      status: 'failed',
      code: 'CB_ERR_INTERNAL',
      message: 'fake store',
      retryable: false,
    }));
  }

  async ping(): Promise<void> {
    if (this.failWith) throw this.failWith;
  }

  async close(): Promise<void> {}
}

/** An in-memory cache (tests of the real Redis cache live in test/integration). */
export class MemoryCache implements CustomerCache {
  readonly entries = new Map<string, CustomerRecord | null>();
  /** Every `get`, so a test can tell whether the cache was asked at all. */
  reads = 0;

  async get(key: CustomerKey): Promise<CacheLookup> {
    this.reads += 1;
    const id = customerKeyId(key);
    return this.entries.has(id)
      ? { hit: true, record: this.entries.get(id) ?? null }
      : { hit: false };
  }

  async fill(key: CustomerKey, record: CustomerRecord | null): Promise<void> {
    if (!this.entries.has(customerKeyId(key))) this.entries.set(customerKeyId(key), record);
  }

  async set(key: CustomerKey, record: CustomerRecord | null): Promise<boolean> {
    this.entries.set(customerKeyId(key), record);
    return true;
  }

  async delete(key: CustomerKey): Promise<boolean> {
    this.entries.delete(customerKeyId(key));
    return true;
  }
}
