import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { BridgeError } from '../../errors/catalogue.ts';
import type { CustomerLock } from '../../ports/event-log.port.ts';

// Delete only if we still own it: an expired lock taken over by another
// worker must not be released by the first one.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

export interface RedisCustomerLockOptions {
  readonly prefix: string;
  /** Lock lifetime; longer than one CRM commit, short enough to heal after a crash. @defaultValue 30000 */
  readonly ttlMs?: number;
  /** How long to wait for a busy lock before giving the job back for a retry. @defaultValue 15000 */
  readonly waitMs?: number;
}

/**
 * A short per-customer lock in Redis (DESIGN §2.2): the compare and the set of
 * one customer's ownership never interleave across worker processes. A worker
 * killed while holding it blocks that customer only until the TTL ends.
 */
export class RedisCustomerLock implements CustomerLock {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #waitMs: number;

  constructor(redis: Redis, options: RedisCustomerLockOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#waitMs = options.waitMs ?? 15_000;
  }

  async withLock<T>(customerId: string, work: () => Promise<T>): Promise<T> {
    const key = `${this.#prefix}:lock:${customerId}`;
    const token = randomUUID();
    const giveUpAt = Date.now() + this.#waitMs;
    let pause = 10;
    while ((await this.#redis.set(key, token, 'PX', this.#ttlMs, 'NX')) !== 'OK') {
      if (Date.now() >= giveUpAt) {
        throw new BridgeError(
          'CB_ERR_LOCK_BUSY',
          `customer lock still held after ${this.#waitMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
      pause = Math.min(pause * 2, 200);
    }
    try {
      return await work();
    } finally {
      await this.#redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  }
}
