import { describe, expect, it } from 'vitest';
import type { WrapUpEvent } from './events.contract.ts';
import type { ConversationSnapshot } from '../domain/conversation.ts';
import type { ConversationSource } from './conversation-source.port.ts';
import type { CommitResult } from '../ports/ownership-store.port.ts';
import { anEvent } from '../../test/support/memory-event-log.ts';
import { reconcileHarness } from '../../test/support/reconcile-harness.ts';
import {
  reconcileConversation,
  ReconcileRetryableError,
  RecordBusyError,
  StoreUnavailableError,
} from './reconcile.processor.ts';

const T = Date.parse('2026-11-25T10:00:00Z');

const event = (kind: WrapUpEvent['kind'], eventTime: number, userId?: string): WrapUpEvent =>
  anEvent(kind, eventTime, userId);

const deps = (overrides: Parameters<typeof reconcileHarness>[1] = {}) =>
  reconcileHarness(T + 60_000, overrides);

const job = { conversationId: 'c1', source: 'event' as const, enqueuedAt: T };

describe('reconcileConversation', () => {
  it('takes the owner from the newest event naming an agent, not from a later customer.end', async () => {
    const { deps: d, log, commits } = deps();
    await log.record([event('user.end', T, 'agent-ana'), event('customer.end', T + 50)]);
    expect(await reconcileConversation(job, d)).toMatchObject({
      status: 'applied',
      agentId: 'agent-ana',
    });
    expect(commits[0]?.ownership.agentId).toBe('agent-ana');
  });

  it('records nothing for a conversation no agent handled, and does not look again', async () => {
    const { deps: d, log, commits } = deps();
    await log.record([event('customer.end', T)]);
    expect(await reconcileConversation(job, d)).toEqual({ status: 'skipped', reason: 'no_owner' });
    expect(await reconcileConversation(job, d)).toEqual({
      status: 'skipped',
      reason: 'already_reconciled',
    });
    expect(commits).toHaveLength(0);
  });

  it('skips a duplicate delivery without touching the store', async () => {
    const { deps: d, log, commits } = deps();
    await log.record([event('acw', T, 'agent-ana')]);
    await reconcileConversation(job, d);
    await log.record([event('acw', T, 'agent-ana')]);
    expect(await reconcileConversation(job, d)).toEqual({
      status: 'skipped',
      reason: 'already_reconciled',
    });
    expect(commits).toHaveLength(1);
  });

  it('with Genesys, leaves an acw pending while Genesys does not show that agent finished yet', async () => {
    const lagging: ConversationSnapshot = {
      conversationId: 'c1',
      customerAddress: '+5511987654321',
      startedAt: T - 60_000,
      agentSegments: [
        {
          userId: 'agent-ana',
          queueId: 'q1',
          wrapupCode: '',
          wrapupName: '',
          notes: '',
          connectedAt: T - 50_000,
          endedAt: T - 30_000,
        },
        {
          userId: 'agent-bob',
          queueId: 'q1',
          wrapupCode: '',
          wrapupName: '',
          notes: '',
          connectedAt: T - 20_000,
          endedAt: 0,
        },
      ],
      caseId: '',
      channel: 'whatsapp',
      attributes: {},
    };
    let snapshot = lagging;
    const conversations: ConversationSource = {
      loadConversation: async () => snapshot,
      listEndedConversations: async () => [],
    };
    const { deps: d, log, commits } = deps({ conversations });
    await log.record([event('acw', T, 'agent-bob')]);
    const bobsAcw = log.events[0]!;
    await reconcileConversation(job, d);
    expect(log.reconciled(bobsAcw)).toBe(false);
    // Genesys catches up: the next look (event retry or sweep) records Bob.
    snapshot = {
      ...lagging,
      agentSegments: [lagging.agentSegments[0]!, { ...lagging.agentSegments[1]!, endedAt: T }],
    };
    expect(await reconcileConversation({ ...job, source: 'sweep' }, d)).toMatchObject({
      status: 'applied',
      agentId: 'agent-bob',
    });
    expect(commits.map((c) => c.ownership.agentId)).toEqual(['agent-ana', 'agent-bob']);
  });

  it('writes the committed record through to the cache', async () => {
    const { deps: d, log, cache } = deps();
    await log.record([event('acw', T, 'agent-ana')]);
    await reconcileConversation(job, d);
    expect([...cache.entries.values()][0]?.current?.agentId).toBe('agent-ana');
  });

  it('retries when the cache can be neither written through nor dropped', async () => {
    const { deps: d, log } = deps();
    d.cache.set = async () => false;
    d.cache.delete = async () => false;
    await log.record([event('acw', T, 'agent-ana')]);
    await expect(reconcileConversation(job, d)).rejects.toBeInstanceOf(ReconcileRetryableError);
    expect(log.marks.size).toBe(0);
  });

  it('retries retryable store failures and gives up at once on permanent ones', async () => {
    const retryable = deps({
      committer: {
        commit: async () => ({
          status: 'failed',
          code: 'UNABLE_TO_LOCK_ROW',
          message: 'locked',
          retryable: true,
        }),
      },
    });
    await retryable.log.record([event('acw', T, 'agent-ana')]);
    await expect(reconcileConversation(job, retryable.deps)).rejects.toBeInstanceOf(
      ReconcileRetryableError,
    );
    const permanent = deps({
      committer: {
        commit: async () => ({
          status: 'failed',
          code: 'INVALID_FIELD',
          message: 'no FLS',
          retryable: false,
        }),
      },
    });
    await permanent.log.record([event('acw', T, 'agent-ana')]);
    await expect(reconcileConversation(job, permanent.deps)).rejects.toMatchObject({
      code: 'CB_ERR_CRM_REJECTED',
    });
  });

  it('records the acw notes, the channel and an unresolved code of the queue it was handled in', async () => {
    const {
      deps: d,
      log,
      commits,
    } = deps({
      unresolvedCodes: (queueId) => (queueId === 'q1' ? ['wrap-pending'] : []),
    });
    const acw = event('acw', T, 'agent-ana');
    await log.record([
      {
        ...acw,
        body: {
          ...acw.body,
          wrapupCode: 'wrap-pending',
          wrapupNotes: '  refund pending; call Tuesday ',
        },
      },
    ]);
    await reconcileConversation(job, d);
    expect(commits[0]?.ownership).toMatchObject({
      notes: 'refund pending; call Tuesday',
      unresolved: true,
      channel: 'whatsapp',
      attributes: {},
    });
    // The same code is resolved in a queue that does not list it.
    const other = deps({ unresolvedCodes: () => [] });
    await other.log.record([{ ...acw, body: { ...acw.body, wrapupCode: 'wrap-pending' } }]);
    await reconcileConversation(job, other.deps);
    expect(other.commits[0]?.ownership.unresolved).toBe(false);
  });

  it("with Genesys, its notes win; the owner's acw notes fill in when Genesys has none", async () => {
    const snapshot = (notes: string): ConversationSnapshot => ({
      conversationId: 'c1',
      customerAddress: '+5511987654321',
      startedAt: T - 60_000,
      channel: 'whatsapp',
      attributes: { intent: 'refund' },
      caseId: '',
      agentSegments: [
        {
          userId: 'agent-ana',
          queueId: 'q1',
          wrapupCode: 'w',
          wrapupName: 'Pending',
          notes,
          connectedAt: T - 50_000,
          endedAt: T,
        },
      ],
    });
    for (const [genesysNotes, expected] of [
      ['from Genesys', 'from Genesys'],
      ['', 'from the event'],
    ] as const) {
      const conversations: ConversationSource = {
        loadConversation: async () => snapshot(genesysNotes),
        listEndedConversations: async () => [],
      };
      const { deps: d, log, commits } = deps({ conversations });
      const acw = event('acw', T, 'agent-ana');
      await log.record([{ ...acw, body: { ...acw.body, wrapupNotes: 'from the event' } }]);
      await reconcileConversation(job, d);
      expect(commits[0]?.ownership).toMatchObject({
        notes: expected,
        attributes: { intent: 'refund' },
      });
    }
  });
  it("tells a store that does not answer (not the job's fault) from a busy record and from other failures", async () => {
    const failing = (result: Partial<Extract<CommitResult, { status: 'failed' }>>) =>
      deps({
        committer: {
          commit: async () => ({
            status: 'failed' as const,
            code: 'CB_ERR_CRM_UNAVAILABLE',
            message: 'x',
            retryable: true,
            ...result,
          }),
        },
      });
    for (const [result, error] of [
      [{ unavailable: true }, StoreUnavailableError],
      [{ busy: true }, RecordBusyError],
      [{}, ReconcileRetryableError],
    ] as const) {
      const { deps: d, log } = failing(result);
      await log.record([event('acw', T, 'agent-ana')]);
      const thrown = await reconcileConversation(job, d).catch((e: unknown) => e);
      expect(thrown).toBeInstanceOf(error);
      expect((thrown as Error).name).toBe(error.name);
    }
  });
});
