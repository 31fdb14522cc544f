/**
 * Serializes the writes of one customer across every bridge process (DESIGN
 * §2.2), so the compare and the set of one customer's ownership never
 * interleave with another writer's.
 */
export interface CustomerLock {
  /** Runs `work` while holding the customer's lock; throws when it stays busy too long. */
  withLock<T>(customerId: string, work: () => Promise<T>): Promise<T>;
}
