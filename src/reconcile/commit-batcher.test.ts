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
});
