import { describe, expect, it } from 'vitest';
import type { CustomerKey } from '../domain/customer-key.ts';
import { createLogger } from '../observability/logger.ts';
import type { PersonalDataStore } from './personal-data.port.ts';
import { PrivacyService } from './privacy.service.ts';
import { withCustomerLocks } from '../reconcile/customer-keys-lock.ts';

describe('PrivacyService.erase', () => {
  it("takes every key's lock in the reconcile worker's order (sorted by key id), whatever order the request names them in", async () => {
    const taken: string[] = [];
    const lock = {
      withLock: async <T>(id: string, work: () => Promise<T>) => {
        taken.push(id);
        return work();
      },
    };
    // The store links the number's Contact to its business-scoped user id.
    const store: PersonalDataStore = {
      name: 'fake',
      exportSubject: async () => ({ store: 'fake', items: {} }),
      conversationsOf: async () => [],
      linkedKeys: async (): Promise<CustomerKey[]> => [
        { kind: 'bsuid', value: 'BR.1502576394655843' },
      ],
      eraseSubject: async () => ({ rows: 1 }),
      purgeOlderThan: async () => ({}),
    };
    const service = new PrivacyService({
      stores: [store],
      tombstones: {
        erasedAt: async (keys) => keys.map(() => null),
        record: async () => {},
        hash: (key) => `hash-of-${key.kind}`,
      },
      // What main.ts hands it: the reconcile worker's own lock order.
      lockCustomer: (keys, work) => withCustomerLocks(lock, keys, work),
      clock: { now: () => 1_800_000_000_000 },
      logger: createLogger('silent'),
      historyRetentionMs: 365 * 86_400_000,
    });
    await service.erase(['+55 11 98765-4321'], { dryRun: false }, 'cli');
    expect(taken).toEqual(['bsuid:BR.1502576394655843', 'phone:5511987654321']);
  });
});
