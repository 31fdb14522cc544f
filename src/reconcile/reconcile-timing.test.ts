import { describe, expect, it } from 'vitest';
import type { ConversationSnapshot } from '../domain/conversation.ts';
import { toSecond } from '../domain/conversation.ts';
import { anEvent } from '../../test/support/memory-event-log.ts';
import { reconcileHarness } from '../../test/support/reconcile-harness.ts';
import { type ConversationSource } from './conversation-source.port.ts';
import { reconcileConversation, type ReconcileDeps } from './reconcile.processor.ts';

/**
 * Issue 10: the right owner in every timing case. Each test is named after the
 * scenario that broke the promise "the stored owner is the agent of the
 * customer's newest conversation".
 */

const T = Date.parse('2026-11-25T10:00:00Z');
const MINUTE = 60_000;
const YEAR_2099 = Date.parse('2099-01-01T00:00:00Z');
const job = { conversationId: 'c1', source: 'event' as const, enqueuedAt: T };

const setup = (overrides: Partial<ReconcileDeps> = {}) => reconcileHarness(T + MINUTE, overrides);

describe('a future-dated event never pins the owner', () => {
  it('an acw dated 2099 is versioned at its time of receipt', async () => {
    const { deps, log, commits } = setup();
    await log.record([anEvent('acw', YEAR_2099, 'agent-ana', { receivedAt: T })]);
    expect(await reconcileConversation(job, deps)).toMatchObject({ status: 'applied' });
    expect(commits[0]?.ownership.endedAt).toBe(toSecond(T));
  });

  it('an agent-less customer.end dated 2099 does not hide the real wrap-up of its conversation', async () => {
    const { deps, log, commits } = setup();
    await log.record([anEvent('customer.end', YEAR_2099, undefined, { receivedAt: T })]);
    expect(await reconcileConversation(job, deps)).toMatchObject({ status: 'skipped' });
    await log.record([anEvent('acw', T - MINUTE, 'agent-ana', { receivedAt: T })]);
    expect(await reconcileConversation(job, deps)).toMatchObject({
      status: 'applied',
      agentId: 'agent-ana',
    });
    expect(commits).toHaveLength(1);
  });

  it('a Genesys conversation reporting a segment end in 2099 is capped at the time it was loaded, and counted', async () => {
    const snapshot: ConversationSnapshot = {
      conversationId: 'c1',
      customerAddress: '+5511987654321',
      startedAt: T - 10 * MINUTE,
      agentSegments: [
        {
          userId: 'agent-ana',
          queueId: 'q1',
          wrapupCode: '',
          wrapupName: '',
          notes: '',
          connectedAt: T - 9 * MINUTE,
          endedAt: YEAR_2099,
        },
      ],
      caseId: '',
      channel: 'whatsapp',
      attributes: {},
    };
    const conversations: ConversationSource = {
      loadConversation: async () => snapshot,
      listEndedConversations: async () => [],
    };
    const { deps, log, commits, untrusted } = setup({ conversations });
    await log.record([anEvent('acw', T, 'agent-ana', { receivedAt: T })]);
    await reconcileConversation(job, deps);
    expect(commits[0]?.ownership.endedAt).toBe(toSecond(T + MINUTE));
    expect(untrusted).toEqual(['c1:genesys']);
  });
});

describe('a late agent event after customer.end is applied', () => {
  it('a user.end arriving after the customer.end, with an earlier eventTime, records its agent', async () => {
    const { deps, log, commits } = setup();
    await log.record([anEvent('customer.end', T + MINUTE)]);
    expect(await reconcileConversation(job, deps)).toEqual({
      status: 'skipped',
      reason: 'no_owner',
    });
    await log.record([anEvent('user.end', T, 'agent-ana')]);
    expect(await reconcileConversation(job, deps)).toMatchObject({
      status: 'applied',
      agentId: 'agent-ana',
    });
    expect(commits.map((c) => c.ownership.agentId)).toEqual(['agent-ana']);
  });
});

describe('Genesys lag on a resumed parked conversation', () => {
  it('the agent’s first finished segment does not reflect their second acw', async () => {
    // Ana handled until T-30m and was parked; she resumed, and her second acw
    // (at T) is announced while Genesys still shows only her first segment.
    const lagging: ConversationSnapshot = {
      conversationId: 'c1',
      customerAddress: '+5511987654321',
      startedAt: T - 60 * MINUTE,
      agentSegments: [
        {
          userId: 'agent-ana',
          queueId: 'q1',
          wrapupCode: '',
          wrapupName: '',
          notes: '',
          connectedAt: T - 50 * MINUTE,
          endedAt: T - 30 * MINUTE,
        },
      ],
      caseId: '',
      channel: 'whatsapp',
      attributes: {},
    };
    const conversations: ConversationSource = {
      loadConversation: async () => lagging,
      listEndedConversations: async () => [],
    };
    const { deps, log, commits } = setup({ conversations });
    const secondAcw = anEvent('acw', T, 'agent-ana');
    await log.record([secondAcw]);
    await reconcileConversation(job, deps);
    expect(log.reconciled(secondAcw)).toBe(false);
    // A redelivery of the same acw looks at Genesys again instead of being skipped.
    expect(await reconcileConversation(job, deps)).not.toMatchObject({ status: 'skipped' });
    expect(commits).toHaveLength(2);
  });
});

describe('owner rules from the conversation’s events alone', () => {
  // Ana transfers to Bob at T, then stays in ACW until T+20m; Bob handles until
  // T+5m and wraps up at T+6m.
  const transferWithLongAcw = () => [
    anEvent('user.end', T, 'agent-ana'),
    anEvent('user.end', T + 5 * MINUTE, 'agent-bob'),
    anEvent('acw', T + 6 * MINUTE, 'agent-bob', { wrapupDurationMs: MINUTE }),
    anEvent('acw', T + 20 * MINUTE, 'agent-ana', { wrapupDurationMs: 20 * MINUTE }),
  ];

  it('last: the agent who handled last owns, not the one whose ACW ended last', async () => {
    const { deps, log, commits } = setup({ clock: { now: () => T + 30 * MINUTE } });
    await log.record(transferWithLongAcw());
    await reconcileConversation(job, deps);
    expect(commits[0]?.ownership).toMatchObject({
      agentId: 'agent-bob',
      endedAt: toSecond(T + 20 * MINUTE),
      transferCount: 1,
    });
  });

  it('OWNER_RULE=first without Genesys: the first handler owns and every agent is kept', async () => {
    const { deps, log, commits } = setup({
      ownerRule: 'first',
      clock: { now: () => T + 30 * MINUTE },
    });
    await log.record(transferWithLongAcw());
    await reconcileConversation(job, deps);
    expect(commits[0]?.ownership).toMatchObject({ agentId: 'agent-ana', transferCount: 1 });
  });
});
