import { describe, expect, it } from 'vitest';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import { sweepEndedConversations } from './sweep.ts';

describe('sweepEndedConversations', () => {
  it('asks for the conversations that ended in the last window and enqueues them as sweep jobs', async () => {
    const asked: Array<[number, number]> = [];
    const enqueued: ReconcileJobData[][] = [];
    const count = await sweepEndedConversations({
      conversations: {
        loadConversation: async () => null,
        listEndedConversations: async (start, end) => (asked.push([start, end]), ['c1', 'c2']),
      },
      queue: { enqueue: async (jobs) => void enqueued.push([...jobs]) },
      clock: { now: () => 1_000_000_000 },
      windowMs: 15 * 60_000,
    });
    expect(count).toBe(2);
    expect(asked).toEqual([[1_000_000_000 - 15 * 60_000, 1_000_000_000]]);
    expect(enqueued).toEqual([
      [
        { conversationId: 'c1', source: 'sweep', enqueuedAt: 1_000_000_000 },
        { conversationId: 'c2', source: 'sweep', enqueuedAt: 1_000_000_000 },
      ],
    ]);
  });
});
