import type { RedisClient } from './connections.redis.ts';
import { customerKeyId, type CustomerKey } from '../../domain/customer-key.ts';
import type { CustomerRecord } from '../../domain/ownership.ts';
import type { CacheLookup, CustomerCache } from '../../ports/customer-cache.port.ts';
import { ALL_CUSTOMERS } from './cache-clear.redis.ts';

export interface NearCacheOptions {
  /** Channel on which every bridge process announces changed customers. */
  readonly channel: string;
  /** Upper bound on staleness should an invalidation ever be lost. @defaultValue 30000 */
  readonly ttlMs?: number;
  /** Entries kept in memory. @defaultValue 50000 */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

interface Entry {
  /** The hit answered for this customer, made once: entries are read far more often than written. */
  readonly lookup: CacheLookup;
  readonly expiresAt: number;
}

/**
 * An in-process cache in front of the shared Redis cache, so a warm lookup costs
 * no network round trip. Every write-through (any process) publishes the
 * customer's id; every process drops its copy on that message. Two rules keep it
 * from serving a stale owner:
 * - while the subscription is not live, the near cache is bypassed and emptied
 *   (an invalidation could be missed);
 * - a value read from Redis is kept only if no invalidation for that customer
 *   arrived while the read was in flight (the read may predate the write).
 */
export class NearCache implements CustomerCache {
  readonly #inner: CustomerCache;
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #options: Required<Omit<NearCacheOptions, 'now'>> & { now: () => number };
  readonly #entries = new Map<string, Entry>();
  /** Sequence of the last invalidation seen, per customer (bounded). */
  readonly #invalidated = new Map<string, number>();
  #sequence = 0;
  /** Reads started before this sequence are never kept (their guard was forgotten). */
  #floor = 0;
  #live = false;

  constructor(
    inner: CustomerCache,
    publisher: RedisClient,
    subscriber: RedisClient,
    options: NearCacheOptions,
  ) {
    this.#inner = inner;
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#options = { ttlMs: 30_000, maxEntries: 50_000, now: Date.now, ...options };
    subscriber.on('message', (channel: string, customerId: string) => {
      if (channel !== this.#options.channel) return;
      if (customerId !== ALL_CUSTOMERS) return this.#invalidate(customerId);
      // `cache clear`: every entry goes, and no read in flight is kept.
      this.#entries.clear();
      this.#floor = ++this.#sequence;
    });
    const goLive = () => {
      this.#subscriber.subscribe(this.#options.channel).then(
        () => {
          // A read started while the subscription was down may predate an
          // invalidation that was missed: nothing read before now is kept.
          this.#floor = ++this.#sequence;
          this.#live = this.#subscriber.status === 'ready';
        },
        () => this.#drop(),
      );
    };
    subscriber.on('ready', goLive);
    // `-node`: a Cluster lost a node, perhaps the one holding our subscription;
    // it resubscribes elsewhere, but messages in between may be gone.
    for (const event of ['close', 'end', 'reconnecting', 'error', '-node'])
      subscriber.on(event, () => this.#drop());
    if (subscriber.status === 'ready') goLive();
  }

  /** True while invalidations are being received (tests, readiness). */
  get live(): boolean {
    return this.#live;
  }

  peek(key: CustomerKey): CacheLookup | undefined {
    return this.#held(customerKeyId(key));
  }

  async get(key: CustomerKey): Promise<CacheLookup> {
    const id = customerKeyId(key);
    const held = this.#held(id);
    if (held) return held;
    const startedAt = this.#sequence;
    const result = await this.#inner.get(key);
    const invalidatedDuringRead = (this.#invalidated.get(id) ?? -1) > startedAt;
    if (result.hit && this.#live && startedAt >= this.#floor && !invalidatedDuringRead) {
      this.#remember(id, result.record);
    }
    return result;
  }

  async fill(key: CustomerKey, record: CustomerRecord | null): Promise<void> {
    // Not kept in memory here: the next get reads it back under the race guard.
    await this.#inner.fill(key, record);
  }

  async set(key: CustomerKey, record: CustomerRecord | null): Promise<boolean> {
    const written = await this.#inner.set(key, record);
    await this.#announce(customerKeyId(key));
    return written;
  }

  async delete(key: CustomerKey): Promise<boolean> {
    const dropped = await this.#inner.delete(key);
    await this.#announce(customerKeyId(key));
    return dropped;
  }

  /** Drops our copy and tells every other process to drop theirs. */
  async #announce(id: string): Promise<void> {
    this.#invalidate(id);
    await this.#publisher.publish(this.#options.channel, id).catch(() => {});
  }

  /** The live, unexpired copy of this customer, if any. */
  #held(id: string): CacheLookup | undefined {
    if (!this.#live) return undefined;
    const entry = this.#entries.get(id);
    return entry && entry.expiresAt > this.#options.now() ? entry.lookup : undefined;
  }

  #remember(id: string, record: CustomerRecord | null): void {
    if (this.#entries.size >= this.#options.maxEntries) {
      // Evict the oldest insertion (Map keeps insertion order).
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const expiresAt = this.#options.now() + this.#options.ttlMs;
    this.#entries.set(id, { lookup: { hit: true, record }, expiresAt });
  }

  #invalidate(id: string): void {
    this.#sequence += 1;
    this.#entries.delete(id);
    this.#invalidated.set(id, this.#sequence);
    if (this.#invalidated.size > 10_000) {
      // Forget old invalidations; to stay safe, forget what they guarded too.
      this.#invalidated.clear();
      this.#entries.clear();
      this.#floor = this.#sequence;
    }
  }

  #drop(): void {
    this.#live = false;
    this.#entries.clear();
    this.#floor = ++this.#sequence;
  }
}
