import type { CustomerKey } from '../domain/customer-key.ts';

/**
 * Whose data a privacy request is about. `keys` holds every key the request
 * named (a number in any spelling resolves to its canonical key; a BSUID is
 * its own key); each store matches every stored form of each key
 * (`keyForms`). `conversationIds` are the conversations any store attributed
 * to these keys, gathered by the privacy service before it erases, so stores
 * keyed by conversation (the Redis event log, BullMQ jobs) can find theirs.
 */
export interface DataSubject {
  readonly keys: readonly CustomerKey[];
  readonly conversationIds: readonly string[];
}

/** What one store holds on a subject: named collections of plain JSON items. */
export interface StoreHoldings {
  readonly store: string;
  readonly items: Readonly<Record<string, readonly unknown[]>>;
}

/**
 * Per-store counts of what an erasure or a retention pass removed (or, on a
 * dry run, would remove): e.g. `{ historyRows: 3, contactsCleared: 1 }`.
 */
export type ErasureCounts = Readonly<Record<string, number>>;

export interface ErasureOptions {
  readonly dryRun: boolean;
}

/**
 * One place the bridge keeps personal data (docs/privacy.md), able to
 * export, erase and expire what it holds. Every implementation is
 * idempotent: erasing twice removes nothing the second time.
 */
export interface PersonalDataStore {
  /** Stable name used in exports, counts and the audit line: `redis`, `sqlite`, `salesforce`. */
  readonly name: string;
  /** Everything this store holds on the subject, as JSON. */
  exportSubject(subject: DataSubject): Promise<StoreHoldings>;
  /** Conversation ids this store attributes to the keys (feeds `DataSubject.conversationIds`). */
  conversationsOf(keys: readonly CustomerKey[]): Promise<string[]>;
  /** Removes everything this store holds on the subject; counts what it removed. */
  eraseSubject(subject: DataSubject, options: ErasureOptions): Promise<ErasureCounts>;
  /**
   * Retention: removes history whose conversation ended before `cutoff` (epoch
   * ms) and clears current-owner fields whose last conversation is older.
   */
  purgeOlderThan(cutoff: number, options: ErasureOptions): Promise<ErasureCounts>;
  /**
   * Optional: other keys this store links to the given ones (the Salesforce
   * Contact holding both a number and a BSUID), so a request naming one covers
   * the other. Added by the core helper; stores without links leave it out.
   */
  linkedKeys?(keys: readonly CustomerKey[]): Promise<CustomerKey[]>;
}
