import { createHmac } from 'node:crypto';
import { customerKeyId, type CustomerKey } from '../../domain/customer-key.ts';
import type { ErasureTombstones } from '../../ports/erasure-tombstones.port.ts';
import type { RedisClient } from './connections.redis.ts';

export interface RedisTombstonesOptions {
  readonly prefix: string;
  /** PRIVACY_HASH_SECRET: the HMAC key; the same on every process. */
  readonly secret: string;
  /** How long a tombstone is kept: the longest redelivery window. @defaultValue 8 days */
  readonly ttlSeconds: number;
}

/**
 * Tombstones in Redis: `{prefix}:erased:<HMAC-SHA256(secret, key id)>` holding
 * the erasure time, expiring after the redelivery window. The hash is
 * base64url (no run of digits long enough to be masked as a number in logs).
 */
export class RedisTombstones implements ErasureTombstones {
  readonly #redis: RedisClient;
  readonly #options: RedisTombstonesOptions;

  constructor(redis: RedisClient, options: RedisTombstonesOptions) {
    this.#redis = redis;
    this.#options = options;
  }

  hash(key: CustomerKey): string {
    return createHmac('sha256', this.#options.secret)
      .update(customerKeyId(key))
      .digest('base64url');
  }

  #key(key: CustomerKey): string {
    return `${this.#options.prefix}:erased:${this.hash(key)}`;
  }

  async erasedAt(keys: readonly CustomerKey[]): Promise<(number | null)[]> {
    if (keys.length === 0) return [];
    const values = await this.#redis.mget(...keys.map((key) => this.#key(key)));
    return values.map((value) => (value === null ? null : Number(value)));
  }

  async record(keys: readonly CustomerKey[], at: number): Promise<void> {
    if (keys.length === 0) return;
    const multi = this.#redis.multi();
    for (const key of keys) multi.set(this.#key(key), String(at), 'EX', this.#options.ttlSeconds);
    await multi.exec();
  }
}
