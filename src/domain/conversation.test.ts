import { describe, expect, it } from 'vitest';
import { deriveOwnership, type AgentSegment, type ConversationSnapshot } from './conversation.ts';

const segment = (
  userId: string,
  connectedAt: number,
  endedAt: number,
  extra: Partial<AgentSegment> = {},
): AgentSegment => ({
  userId,
  queueId: `queue-of-${userId}`,
  wrapupCode: `wrap-${userId}`,
  wrapupName: '',
  connectedAt,
  endedAt,
  notes: '',
  ...extra,
});

const snapshot = (agentSegments: AgentSegment[]): ConversationSnapshot => ({
  conversationId: 'conv-1',
  customerAddress: '+5511987654321',
  startedAt: 9_000,
  channel: 'whatsapp',
  attributes: {},
  agentSegments,
  caseId: '500xx000001',
});

describe('deriveOwnership', () => {
  const transferred = snapshot([segment('ana', 1000, 2000), segment('bob', 2100, 3000)]);

  it('gives a transferred conversation to the last handling agent by default', () => {
    expect(deriveOwnership(transferred, 'last', 'event')).toMatchObject({
      agentId: 'bob',
      queueId: 'queue-of-bob',
      wrapupCode: 'wrap-bob',
      endedAt: 3000,
      startedAt: 9_000,
      transferCount: 1,
      caseId: '500xx000001',
    });
  });

  it('gives it to the first agent with the "first" rule, keeping the newest version', () => {
    expect(deriveOwnership(transferred, 'first', 'sweep')).toMatchObject({
      agentId: 'ana',
      endedAt: 3000,
      source: 'sweep',
    });
  });

  it('does not count a park and resume by the same agent as a transfer', () => {
    const parked = snapshot([segment('ana', 1000, 2000), segment('ana', 5000, 6000)]);
    expect(deriveOwnership(parked, 'last', 'event')).toMatchObject({
      agentId: 'ana',
      endedAt: 6000,
      transferCount: 0,
    });
  });

  it('keeps versions to the second, as a Salesforce DateTime does', () => {
    const precise = snapshot([segment('ana', 1_700_000_000_250, 1_700_000_100_999)]);
    expect(deriveOwnership({ ...precise, startedAt: 0 }, 'last', 'event')).toMatchObject({
      startedAt: 1_700_000_000_000,
      endedAt: 1_700_000_100_000,
    });
  });

  it('counts A → B → A as two transfers', () => {
    const pingPong = snapshot([segment('ana', 1, 2), segment('bob', 3, 4), segment('ana', 5, 6)]);
    expect(deriveOwnership(pingPong, 'last', 'event')?.transferCount).toBe(2);
  });

  it('ignores segments without a user and answers null when no agent handled it', () => {
    expect(deriveOwnership(snapshot([segment('', 1, 2)]), 'last', 'event')).toBeNull();
    expect(deriveOwnership(snapshot([]), 'last', 'event')).toBeNull();
  });
});

describe('deriveOwnership: owner by handling order (issue 10)', () => {
  it('A transfers to B and stays in ACW longer than B handles: B owns, the version is A’s ACW end', () => {
    // Ana handles 1000..2000 then wraps up until 9000; Bob handles 2100..3000, wraps up at 3500.
    const longAcw = snapshot([
      segment('ana', 1000, 9000, { segmentEndedAt: 2000 }),
      segment('bob', 2100, 3500, { segmentEndedAt: 3000 }),
    ]);
    expect(deriveOwnership(longAcw, 'last', 'event')).toMatchObject({
      agentId: 'bob',
      endedAt: 9000 - (9000 % 1000),
    });
    expect(deriveOwnership(longAcw, 'first', 'event')).toMatchObject({ agentId: 'ana' });
  });

  it('orders segments without a connect time by the end of their handling, not their ACW', () => {
    const fromEvents = snapshot([
      segment('ana', 0, 9000, { segmentEndedAt: 2000 }),
      segment('bob', 0, 3500, { segmentEndedAt: 3000 }),
    ]);
    expect(deriveOwnership(fromEvents, 'last', 'event')?.agentId).toBe('bob');
    expect(deriveOwnership(fromEvents, 'first', 'event')?.agentId).toBe('ana');
  });
});
