import { describe, expect, it } from 'vitest';
import type { CommitResult, OwnershipChange } from '../ports/ownership-store.port.ts';
import { aCustomer, anOwnership, aPhoneKey } from '../../test/factories/ownership.factory.ts';
import { FakeStore } from '../../test/support/fakes.ts';
import { CommitBatcher } from './commit-batcher.ts';

const change = (agentId: string): OwnershipChange => ({
  key: aPhoneKey(),
  ownership: anOwnership({ agentId }),
});
const applied = (c: OwnershipChange): CommitResult => ({
  status: 'applied',
  record: aCustomer({ current: c.ownership }),
});

describe('CommitBatcher', () => {
  it('gathers concurrent changes into one store call and answers each', async () => {
    const store = new FakeStore();
    const calls: number[] = [];
    store.commit = async (changes) => (calls.push(changes.length), changes.map(applied));
    const batcher = new CommitBatcher(store, { windowMs: 20 });
    const results = await Promise.all(['a', 'b', 'c'].map((id) => batcher.commit(change(id))));
    expect(calls).toEqual([3]);
    expect(results.map((r) => r.status === 'applied' && r.record.current?.agentId)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('splits at the batch size', async () => {
    const store = new FakeStore();
    const calls: number[] = [];
    store.commit = async (changes) => (calls.push(changes.length), changes.map(applied));
    const batcher = new CommitBatcher(store, { windowMs: 10, maxBatch: 2 });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => batcher.commit(change(id))));
    expect(calls).toEqual([2, 2, 1]);
  });

  it('fails the batch as retryable when the store throws', async () => {
    const store = new FakeStore();
    store.commit = async () => Promise.reject(new Error('socket hang up'));
    const result = await new CommitBatcher(store, { windowMs: 1 }).commit(change('a'));
    expect(result).toMatchObject({ status: 'failed', retryable: true, message: 'socket hang up' });
  });

  it('finds the one record at fault when the whole request is refused', async () => {
    const store = new FakeStore();
    store.commit = async (changes) =>
      changes.some((c) => c.ownership.agentId === 'bad')
        ? changes.map(() => ({
            status: 'failed',
            code: 'INVALID_FIELD',
            message: 'bad record',
            retryable: false,
          }))
        : changes.map(applied);
    const batcher = new CommitBatcher(store, { windowMs: 10 });
    const results = await Promise.all(['a', 'bad', 'c'].map((id) => batcher.commit(change(id))));
    expect(results.map((r) => r.status)).toEqual(['applied', 'failed', 'applied']);
  });

  describe('adapting to a slow CRM (group commit)', () => {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    /** A store whose commit takes `ms`, recording each call's size and start. */
    function slowStore(ms: number) {
      const store = new FakeStore();
      const calls: Array<{ size: number; at: number }> = [];
      const started = Date.now();
      store.commit = async (changes) => {
        calls.push({ size: changes.length, at: Date.now() - started });
        await sleep(ms);
        return changes.map(applied);
      };
      return { store, calls };
    }
    /** One change now, then three more 25 ms apart (a steady trickle). */
    async function trickle(batcher: CommitBatcher) {
      const results = [batcher.commit(change('a'))];
      for (const id of ['b', 'c', 'd']) {
        await sleep(25);
        results.push(batcher.commit(change(id)));
      }
      return Promise.all(results);
    }

    it('gathers what arrives during a write into the next call', async () => {
      const { store, calls } = slowStore(150);
      const results = await trickle(new CommitBatcher(store, { windowMs: 10, maxWaitMs: 1000 }));
      expect(calls.map((c) => c.size)).toEqual([1, 3]);
      expect(results.every((r) => r.status === 'applied')).toBe(true);
    });

    it('without a max wait, sends each window on its own (one call per change here)', async () => {
      const { store, calls } = slowStore(150);
      await trickle(new CommitBatcher(store, { windowMs: 10 }));
      expect(calls.map((c) => c.size)).toEqual([1, 1, 1, 1]);
    });

    it('never lets a change wait longer than the max wait for a slow write', async () => {
      const { store, calls } = slowStore(600);
      const batcher = new CommitBatcher(store, { windowMs: 10, maxWaitMs: 100 });
      const first = batcher.commit(change('a'));
      await sleep(20);
      const second = batcher.commit(change('b'));
      await Promise.all([first, second]);
      expect(calls.map((c) => c.size)).toEqual([1, 1]);
      // b arrived at ~20 ms: sent at its bound (~120 ms), not when a's write returned (~610 ms).
      expect(calls[1]!.at).toBeLessThan(400);
    });
  });
  it('below the API reserve (economy), waits the longer window so a write carries as many changes as it can', async () => {
    const store = new FakeStore();
    const calls: number[] = [];
    store.commit = async (changes) => (calls.push(changes.length), changes.map(applied));
    let economy = true;
    const batcher = new CommitBatcher(store, {
      windowMs: 5,
      economy: () => economy,
      economyWindowMs: 80,
    });
    const first = batcher.commit(change('a'));
    await new Promise((resolve) => setTimeout(resolve, 30)); // past the normal window
    const second = batcher.commit(change('b'));
    await Promise.all([first, second]);
    expect(calls).toEqual([2]);
    economy = false;
    const third = batcher.commit(change('c'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    await Promise.all([third, batcher.commit(change('d'))]);
    expect(calls).toEqual([2, 1, 1]);
  });
});
