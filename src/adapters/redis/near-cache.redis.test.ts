import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { aCustomer, anOwnership, aPhoneKey } from '../../../test/factories/ownership.factory.ts';
import type { CacheLookup, CustomerCache } from '../../ports/customer-cache.port.ts';
import { NearCache } from './near-cache.redis.ts';

/** A subscriber connection whose state the test drives. */
class FakeSubscriber extends EventEmitter {
  status = 'ready';
  async subscribe(): Promise<number> {
    return 1;
  }
}

/** The shared cache, with a `get` the test answers by hand. */
class ControlledCache implements CustomerCache {
  reads = 0;
  #pending: Array<(lookup: CacheLookup) => void> = [];
  get(): Promise<CacheLookup> {
    this.reads += 1;
    return new Promise((resolve) => this.#pending.push(resolve));
  }
  answer(lookup: CacheLookup): void {
    this.#pending.shift()?.(lookup);
  }
  async fill(): Promise<void> {}
  async set(): Promise<boolean> {
    return true;
  }
  async delete(): Promise<boolean> {
    return true;
  }
}

const key = aPhoneKey('5511987650888');
const publisher = { publish: async () => 1 } as unknown as Redis;
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NearCache after a pub/sub reconnect', () => {
  it('does not keep a value read while the subscription was down (an invalidation may have been missed)', async () => {
    const subscriber = new FakeSubscriber();
    const inner = new ControlledCache();
    const near = new NearCache(inner, publisher, subscriber as unknown as Redis, {
      channel: 'owner-changed',
    });
    await settle();
    expect(near.live).toBe(true);

    subscriber.status = 'reconnecting';
    subscriber.emit('reconnecting');
    const readWhileDown = near.get(key);
    subscriber.status = 'ready';
    subscriber.emit('ready');
    await settle();
    expect(near.live).toBe(true);
    const current = anOwnership({ agentId: 'agent-old' });
    inner.answer({ hit: true, record: aCustomer({ key, current, recent: [current] }) });
    await readWhileDown;

    // The next lookup asks Redis again instead of serving the old owner from memory.
    const next = near.get(key);
    expect(inner.reads).toBe(2);
    inner.answer({ hit: false });
    await next;
  });
});
