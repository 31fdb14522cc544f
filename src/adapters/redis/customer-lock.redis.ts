import { randomUUID } from 'node:crypto';
import type { RedisClient } from './connections.redis.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import type { CustomerLock } from '../../reconcile/customer-lock.port.ts';

// Delete only if we still own it: an expired lock taken over by another
// worker must not be released by the first one.
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Extend only if we still own it.
const EXTEND = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

export interface RedisCustomerLockOptions {
  readonly prefix: string;
  /** Lock lifetime; longer than one CRM commit, short enough to heal after a crash. @defaultValue 30000 */
  readonly ttlMs?: number;
  /** How long to wait for a busy lock before giving the job back for a retry. @defaultValue 15000 */
  readonly waitMs?: number;
  /** Called when a held lock could not be extended (it expired under the work). */
  readonly onLost?: (customerId: string) => void;
}

/**
 * A short per-customer lock in Redis (DESIGN §2.2): the compare and the set of
 * one customer's ownership never interleave across worker processes. A worker
 * killed while holding it blocks that customer only until the TTL ends; a live
 * one extends it for as long as its work takes.
 */
export class RedisCustomerLock implements CustomerLock {
  readonly #redis: RedisClient;
  readonly #prefix: string;
  readonly #ttlMs: number;
  readonly #waitMs: number;
  readonly #onLost: ((customerId: string) => void) | undefined;

  constructor(redis: RedisClient, options: RedisCustomerLockOptions) {
    this.#redis = redis;
    this.#prefix = options.prefix;
    this.#ttlMs = options.ttlMs ?? 30_000;
    this.#waitMs = options.waitMs ?? 15_000;
    this.#onLost = options.onLost;
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
    // A commit may outlast the TTL (a slow CRM): the lock is extended while the
    // work runs, so it only expires when this process is gone.
    const heartbeat = setInterval(
      () => {
        this.#redis.eval(EXTEND, 1, key, token, String(this.#ttlMs)).then(
          (extended) => {
            if (extended !== 1) this.#onLost?.(customerId);
          },
          () => {},
        );
      },
      Math.max(100, Math.floor(this.#ttlMs / 3)),
    );
    try {
      return await work();
    } finally {
      clearInterval(heartbeat);
      await this.#redis.eval(RELEASE, 1, key, token).catch(() => {});
    }
  }
}
