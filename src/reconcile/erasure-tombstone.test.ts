import { describe, expect, it } from 'vitest';
import { customerKeyId, type CustomerKey } from '../domain/customer-key.ts';
import type { ConversationSnapshot } from '../domain/conversation.ts';
import type { ErasureTombstones } from '../ports/erasure-tombstones.port.ts';
import { anEvent, MemoryEventLog } from '../../test/support/memory-event-log.ts';
import { reconcileHarness } from '../../test/support/reconcile-harness.ts';
import { IngestService } from './ingest.service.ts';
import type { ReconcileJobData } from './reconcile-job.contract.ts';
import { reconcileConversation } from './reconcile.processor.ts';

/**
 * Issue 16, "nothing comes back": after an erasure, an event dated or
 * acknowledged before it (a queued job, a late EventBridge redelivery) is
 * dropped and counted; a conversation after it starts a fresh record.
 */

const ERASED_AT = Date.parse('2026-11-25T10:00:00Z');
const MINUTE = 60_000;

function memoryTombstones(erased: Record<string, number>): ErasureTombstones {
  return {
    erasedAt: async (keys: readonly CustomerKey[]) =>
      keys.map((key) => erased[customerKeyId(key)] ?? null),
    record: async () => {},
    hash: (key) => `h(${customerKeyId(key)})`,
  };
}
const tombstones = memoryTombstones({ 'phone:5511987654321': ERASED_AT });

describe('the reconcile worker after an erasure', () => {
  const job = { conversationId: 'c1', source: 'event' as const, enqueuedAt: ERASED_AT - MINUTE };

  it('drops a job whose event was acknowledged before the erasure, and counts it', async () => {
    let dropped = 0;
    const { deps, log, commits } = reconcileHarness(ERASED_AT + MINUTE, {
      tombstones,
      onErasedDropped: () => (dropped += 1),
    });
    // Received a second before the erasure; its time reads a little later (clock skew).
    await log.record([
      anEvent('acw', ERASED_AT + 1000, 'agent-ana', { receivedAt: ERASED_AT - 1000 }),
    ]);
    expect(await reconcileConversation(job, deps)).toEqual({ status: 'skipped', reason: 'erased' });
    expect(commits).toHaveLength(0);
    expect(dropped).toBe(1);
  });

  it('drops what Genesys still shows of a conversation that ended before the erasure', async () => {
    const { deps, commits } = reconcileHarness(ERASED_AT + MINUTE, {
      tombstones,
      conversations: {
        loadConversation: async (): Promise<ConversationSnapshot> => ({
          conversationId: 'c1',
          customerAddress: '+55 11 98765-4321',
          startedAt: ERASED_AT - 10 * MINUTE,
          caseId: '',
          channel: 'whatsapp',
          attributes: {},
          agentSegments: [
            {
              userId: 'agent-ana',
              queueId: 'q1',
              wrapupCode: '',
              wrapupName: '',
              connectedAt: ERASED_AT - 5 * MINUTE,
              endedAt: ERASED_AT - MINUTE,
              notes: '',
            },
          ],
        }),
        listEndedConversations: async () => [],
      },
    });
    expect(await reconcileConversation({ ...job, source: 'sweep' }, deps)).toEqual({
      status: 'skipped',
      reason: 'erased',
    });
    expect(commits).toHaveLength(0);
  });

  it('records a new conversation after the erasure as a fresh record', async () => {
    const { deps, log, commits } = reconcileHarness(ERASED_AT + 10 * MINUTE, { tombstones });
    await log.record([
      anEvent('acw', ERASED_AT + 5 * MINUTE, 'agent-bea', { receivedAt: ERASED_AT + 5 * MINUTE }),
    ]);
    expect(await reconcileConversation(job, deps)).toMatchObject({ status: 'applied' });
    expect(commits[0]?.ownership.agentId).toBe('agent-bea');
  });
});

describe('ingest after an erasure', () => {
  const ingest = (dropped: { count: number }, enqueued: ReconcileJobData[]) =>
    new IngestService({
      events: new MemoryEventLog(),
      queue: { enqueue: async (jobs) => void enqueued.push(...jobs) },
      clock: { now: () => ERASED_AT + 10 * MINUTE },
      tombstones,
      onErasedDropped: () => (dropped.count += 1),
    });

  it('refuses a late redelivery dated before the erasure, with its reason, and counts it', async () => {
    const dropped = { count: 0 };
    const enqueued: ReconcileJobData[] = [];
    const result = await ingest(dropped, enqueued).ingest(
      [anEvent('acw', ERASED_AT - MINUTE, 'agent-ana', { addressFrom: 'whatsapp:+551187654321' })],
      0,
    );
    expect(result).toMatchObject({ accepted: 0, rejected: 1 });
    expect(result.rejectedReasons[0]).toContain('erased');
    expect(result.rejectedReasons[0]).not.toContain('87654321');
    expect(enqueued).toEqual([]);
    expect(dropped.count).toBe(1);
  });

  it('accepts an event after the erasure, and events of other customers', async () => {
    const dropped = { count: 0 };
    const enqueued: ReconcileJobData[] = [];
    const result = await ingest(dropped, enqueued).ingest(
      [
        anEvent('acw', ERASED_AT + MINUTE, 'agent-ana', { conversationId: 'new' }),
        anEvent('acw', ERASED_AT - MINUTE, 'agent-ana', {
          conversationId: 'other',
          addressFrom: '+5511912345678',
        }),
      ],
      0,
    );
    expect(result).toMatchObject({ accepted: 2, rejected: 0 });
    expect(enqueued.map((job) => job.conversationId).sort()).toEqual(['new', 'other']);
    expect(dropped.count).toBe(0);
  });
});
