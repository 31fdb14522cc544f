import type { CustomerKey } from '../domain/customer-key.ts';

/**
 * What an erasure leaves behind so nothing brings the customer back (issue 16):
 * per customer key, the time of the erasure, stored under a keyed hash of the
 * key (never the number) and kept for the longest redelivery window. Ingest
 * and the reconcile worker drop anything dated or acknowledged before it.
 */
export interface ErasureTombstones {
  /** Per key, the time (epoch ms) it was last erased, or null; same order as `keys`. */
  erasedAt(keys: readonly CustomerKey[]): Promise<(number | null)[]>;
  /** Marks the keys erased at `at` (epoch ms). */
  record(keys: readonly CustomerKey[], at: number): Promise<void>;
  /** The keyed hash a key is known by in tombstones and audit lines (never the key itself). */
  hash(key: CustomerKey): string;
}

/** No privacy secret configured: no erasure can have happened, so nothing is ever dropped. */
export const noTombstones: ErasureTombstones = {
  erasedAt: async (keys) => keys.map(() => null),
  record: async () => {
    throw new Error('erasure tombstones need PRIVACY_HASH_SECRET');
  },
  hash: () => {
    throw new Error('erasure tombstones need PRIVACY_HASH_SECRET');
  },
};

/**
 * True when work on a customer erased at `erasedAt` must be dropped: it is
 * dated at or before the erasure, or every event behind it was acknowledged
 * at or before it (a job queued before the erasure, a late redelivery).
 */
export function predatesErasure(
  erasedAt: number | null,
  datedAt: number,
  acknowledgedAt: readonly number[] = [],
): boolean {
  if (erasedAt === null) return false;
  if (datedAt <= erasedAt) return true;
  return acknowledgedAt.length > 0 && acknowledgedAt.every((at) => at <= erasedAt);
}
