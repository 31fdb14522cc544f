import type { CustomerKey } from '../domain/customer-key.ts';

/** What a repair of future-dated versions found (and, when applied, capped). */
export interface FutureVersions {
  /** Conversations whose stored version was later than the limit. */
  readonly conversations: readonly string[];
  /** Customers holding such a version (their cache entries must be dropped). */
  readonly customers: readonly CustomerKey[];
  /** Records changed (0 in a dry run). */
  readonly written: number;
}

/**
 * Repairs versions stored before the bridge capped untrusted times (DESIGN
 * §2.2): every stored version later than `limit` is set to `cappedAt`, the
 * time of the repair — the latest those events can truly have happened. The
 * owner does not change (the capped version is still the newest one), but a
 * wrap-up after the repair now wins over it. A dry run only reports.
 */
export interface VersionRepair {
  repairFutureVersions(limit: number, cappedAt: number, apply: boolean): Promise<FutureVersions>;
}

export function canRepairVersions(store: object): store is VersionRepair {
  return typeof (store as Partial<VersionRepair>).repairFutureVersions === 'function';
}
