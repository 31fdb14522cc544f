import { describe, expect, it } from 'vitest';
import { customerKeyId, type CustomerKey } from '../domain/customer-key.ts';
import { supersedes, type Ownership } from '../domain/ownership.ts';
import type { CommitResult, OwnershipChange } from '../ports/ownership-store.port.ts';
import { aCustomer } from '../../test/factories/ownership.factory.ts';
import { anEvent, MemoryEventLog } from '../../test/support/memory-event-log.ts';
import { reconcileHarness } from '../../test/support/reconcile-harness.ts';
import type { CustomerLock } from './customer-lock.port.ts';
import type { OwnershipCommitter } from './commit-batcher.ts';
import { reconcileConversation } from './reconcile.processor.ts';

const T = Date.parse('2026-11-25T10:00:00Z');
const PHONE: CustomerKey = { kind: 'phone', value: '5511987654321' };
const BSUID: CustomerKey = { kind: 'bsuid', value: 'BR.1502576394655843' };

/**
 * One Contact holding both keys, with Salesforce's commit as it is: the stored
 * owner is read, then written in a second call (a compare and a set that
 * another writer can come between, which is what the customer lock prevents).
 */
class OneContact implements OwnershipCommitter {
  last: Ownership | null = null;
  commits = 0;

  async commit(change: OwnershipChange): Promise<CommitResult> {
    this.commits += 1;
    const stored = this.last;
    await new Promise((resolve) => setTimeout(resolve, 5));
    const applied = supersedes(change.ownership, stored);
    if (applied) this.last = change.ownership;
    const other = change.key.kind === 'phone' ? BSUID : PHONE;
    const record = aCustomer({ key: change.key, current: this.last, aliases: [other] });
    return { status: applied ? 'applied' : 'superseded', record };
  }
}

/** An in-process mutex per id that records the order in which ids were taken. */
function memoryLock(taken: string[]): CustomerLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async withLock(id, work) {
      const before = tails.get(id) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      tails.set(id, mine);
      await before;
      taken.push(id);
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}

const logWith = async (conversationId: string, address: string, eventTime: number) => {
  const log = new MemoryEventLog();
  await log.record([
    anEvent('acw', eventTime, 'agent-ana', { conversationId, addressFrom: address }),
  ]);
  return log;
};

describe('a Contact with a number and a business-scoped user id is one customer', () => {
  it('locks both keys in one order and caches the new owner under both', async () => {
    const taken: string[] = [];
    const contact = new OneContact();
    const { deps, cache } = reconcileHarness(T + 60_000, {
      log: await logWith('c1', '+5511987654321', T),
      lock: memoryLock(taken),
      committer: contact,
    });
    await reconcileConversation({ conversationId: 'c1', source: 'event', enqueuedAt: T }, deps);

    // Cold cache: the commit shows the second key, and the commit runs again holding both.
    expect(taken).toEqual([
      'phone:5511987654321',
      'bsuid:BR.1502576394655843',
      'phone:5511987654321',
    ]);
    expect(cache.entries.get(customerKeyId(BSUID))?.current?.conversationId).toBe('c1');
    expect(cache.entries.get(customerKeyId(PHONE))?.current?.conversationId).toBe('c1');
    expect(cache.entries.get(customerKeyId(BSUID))?.aliases).toEqual([PHONE]);

    // Warm cache: one commit, both keys locked from the start.
    taken.length = 0;
    const commitsBefore = contact.commits;
    const next = await logWith('c2', '+5511987654321', T + 1000);
    await reconcileConversation(
      { conversationId: 'c2', source: 'event', enqueuedAt: T },
      { ...deps, events: next },
    );
    expect(taken).toEqual(['bsuid:BR.1502576394655843', 'phone:5511987654321']);
    expect(contact.commits - commitsBefore).toBe(1);
    expect(cache.entries.get(customerKeyId(BSUID))?.current?.conversationId).toBe('c2');
  });

  it('keeps the newer owner when two writers name the Contact by different keys at once', async () => {
    const contact = new OneContact();
    const { deps, cache } = reconcileHarness(T + 60_000, {
      lock: memoryLock([]),
      committer: contact,
    });
    // The newer conversation arrives by number, the older by user id, together.
    const [byPhone, byUserId] = await Promise.all([
      logWith('c-new', '+5511987654321', T + 5000),
      logWith('c-old', BSUID.value, T),
    ]);
    await Promise.all([
      reconcileConversation(
        { conversationId: 'c-new', source: 'event', enqueuedAt: T },
        { ...deps, events: byPhone },
      ),
      reconcileConversation(
        { conversationId: 'c-old', source: 'event', enqueuedAt: T },
        { ...deps, events: byUserId },
      ),
    ]);
    expect(contact.last?.conversationId).toBe('c-new');
    expect(cache.entries.get(customerKeyId(PHONE))?.current?.conversationId).toBe('c-new');
    expect(cache.entries.get(customerKeyId(BSUID))?.current?.conversationId).toBe('c-new');
  });
});
