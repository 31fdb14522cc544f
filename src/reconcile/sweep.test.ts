import { describe, expect, it } from 'vitest';
import type { IngestService } from './ingest.service.ts';
import { sweepEndedConversations } from './sweep.ts';

describe('sweepEndedConversations', () => {
  it('asks for the conversations that ended in the last window and enqueues them as sweep jobs', async () => {
    const asked: Array<[number, number]> = [];
    const enqueued: Array<[readonly string[], string]> = [];
    const ingest = {
      enqueue: async (ids: readonly string[], source: string) => void enqueued.push([ids, source]),
    };
    const count = await sweepEndedConversations({
      conversations: {
        loadConversation: async () => null,
        listEndedConversations: async (start, end) => (asked.push([start, end]), ['c1', 'c2']),
      },
      ingest: ingest as unknown as IngestService,
      clock: { now: () => 1_000_000_000 },
      windowMs: 15 * 60_000,
    });
    expect(count).toBe(2);
    expect(asked).toEqual([[1_000_000_000 - 15 * 60_000, 1_000_000_000]]);
    expect(enqueued).toEqual([[['c1', 'c2'], 'sweep']]);
  });
});
