import { describe, expect, it } from 'vitest';
import {
  aCustomer,
  anOwnership,
  aPolicy,
  DAY,
  HOUR,
  NOW,
} from '../../test/factories/ownership.factory.ts';
import {
  decideRoute,
  type AgentAvailability,
  type RoutingDecision,
  type RoutingInput,
} from './routing-policy.ts';

const onQueue = (...queueIds: string[]): AgentAvailability => ({ status: 'on_queue', queueIds });
const offQueue: AgentAvailability = { status: 'off_queue', queueIds: ['queue-support'] };

const ana = anOwnership({ agentId: 'agent-ana', queueId: 'queue-support', endedAt: NOW - HOUR });
const bob = anOwnership({ agentId: 'agent-bob', queueId: 'queue-support', endedAt: NOW - 2 * DAY });
const old = anOwnership({ agentId: 'agent-cy', queueId: 'queue-support', endedAt: NOW - 10 * DAY });

function input(overrides: Partial<RoutingInput> = {}): RoutingInput {
  return {
    customer: aCustomer({ current: ana, recent: [ana, bob, old] }),
    requestedQueueId: 'queue-support',
    now: NOW,
    availability: new Map(),
    ...overrides,
  };
}

type Expected = Partial<RoutingDecision>;

const cases: Array<[string, RoutingInput, Expected]> = [
  [
    'unknown customer → fallback queue',
    input({ customer: null }),
    {
      found: false,
      action: 'fallback',
      reason: 'no_history',
      queueId: 'queue-fallback',
      agentIds: [],
    },
  ],
  [
    'contact without any ownership → fallback',
    input({ customer: aCustomer({ current: null }) }),
    { found: false, action: 'fallback', reason: 'no_history', contactId: '003xx000004TmiQAAS' },
  ],
  [
    'owner known, availability unknown → agent, ranked by recency',
    input(),
    {
      found: true,
      action: 'agent',
      reason: 'availability_unknown',
      agentId: 'agent-ana',
      agentScore: 100,
      agentIds: ['agent-ana', 'agent-bob'],
      agentScores: [100, 90],
      queueId: 'queue-support',
      ageMinutes: 60,
    },
  ],
  [
    'owner on queue in the target queue → agent',
    input({ availability: new Map([['agent-ana', onQueue('queue-support')]]) }),
    { action: 'agent', reason: 'owner_available', agentId: 'agent-ana' },
  ],
  [
    'owner off queue, earlier owner on queue → earlier owner',
    input({
      availability: new Map([
        ['agent-ana', offQueue],
        ['agent-bob', onQueue('queue-support')],
      ]),
    }),
    {
      action: 'agent',
      reason: 'previous_owner_available',
      agentId: 'agent-bob',
      agentIds: ['agent-bob'],
      agentScores: [100],
    },
  ],
  [
    'owner and earlier owner off queue → last queue, no agent',
    input({
      availability: new Map([
        ['agent-ana', offQueue],
        ['agent-bob', offQueue],
      ]),
    }),
    {
      action: 'queue',
      reason: 'owner_offline',
      agentId: '',
      agentIds: [],
      queueId: 'queue-support',
    },
  ],
  [
    'owner on queue but only in their own queue → agent there',
    input({
      requestedQueueId: 'queue-sales',
      availability: new Map([
        ['agent-ana', onQueue('queue-support')],
        ['agent-bob', offQueue],
      ]),
    }),
    {
      action: 'agent',
      reason: 'owner_in_last_queue',
      queueId: 'queue-support',
      agentIds: ['agent-ana'],
    },
  ],
  [
    'owner on queue, member of neither queue → last queue',
    input({
      requestedQueueId: 'queue-sales',
      availability: new Map([
        ['agent-ana', onQueue('queue-other')],
        ['agent-bob', offQueue],
      ]),
    }),
    { action: 'queue', reason: 'owner_not_in_queue', queueId: 'queue-support' },
  ],
  [
    'older than the window → restart',
    input({ customer: aCustomer({ current: old, recent: [old] }) }),
    {
      found: true,
      action: 'restart',
      reason: 'context_stale',
      agentId: '',
      queueId: 'queue-support',
      ageMinutes: 14400,
    },
  ],
  [
    'stale with no flow queue → restart into fallback',
    input({ requestedQueueId: '', customer: aCustomer({ current: old, recent: [old] }) }),
    { action: 'restart', queueId: 'queue-fallback' },
  ],
  [
    'VIP inside the window → VIP queue, owner preferred',
    input({ customer: aCustomer({ vip: true, current: ana, recent: [ana] }) }),
    { action: 'vip', reason: 'vip', queueId: 'queue-vip', agentId: 'agent-ana', vip: true },
  ],
  [
    'VIP with stale history → VIP queue, no agent',
    input({ customer: aCustomer({ vip: true, current: old, recent: [old] }) }),
    { action: 'vip', reason: 'vip', agentIds: [] },
  ],
  [
    'VIP with no history → VIP queue',
    input({ customer: aCustomer({ vip: true, current: null }) }),
    { action: 'vip', found: false },
  ],
  [
    'VIP without a VIP queue configured → normal routing',
    input({ customer: aCustomer({ vip: true, current: ana, recent: [ana] }) }),
    { action: 'agent', vip: true },
  ],
  [
    'no flow queue → owner in their last queue',
    input({ requestedQueueId: '' }),
    { action: 'agent', queueId: 'queue-support' },
  ],
];

describe('decideRoute', () => {
  it.each(cases)('%s', (_name, routingInput, expected) => {
    const policy = _name.startsWith('VIP without')
      ? aPolicy({ defaults: { ...aPolicy().defaults, vipQueueId: '' } })
      : aPolicy();
    expect(decideRoute(routingInput, policy)).toMatchObject(expected);
  });

  it('uses the window of the queue the owner served in', () => {
    const sales = anOwnership({
      agentId: 'agent-ana',
      queueId: 'queue-sales',
      endedAt: NOW - 3 * DAY,
    });
    const policy = aPolicy({ perQueue: { 'queue-sales': { affinityWindowMs: 2 * DAY } } });
    const decision = decideRoute(
      input({ customer: aCustomer({ current: sales, recent: [sales] }) }),
      policy,
    );
    expect(decision).toMatchObject({
      action: 'restart',
      reason: 'context_stale',
      ageMinutes: 3 * 24 * 60,
    });
    const longer = aPolicy({ perQueue: { 'queue-sales': { affinityWindowMs: 4 * DAY } } });
    expect(
      decideRoute(input({ customer: aCustomer({ current: sales, recent: [sales] }) }), longer)
        .action,
    ).toBe('agent');
  });

  it('never answers an agent route without a queue', () => {
    const noQueue = anOwnership({ agentId: 'agent-ana', queueId: '', endedAt: NOW - HOUR });
    const decision = decideRoute(
      input({ requestedQueueId: '', customer: aCustomer({ current: noQueue, recent: [noQueue] }) }),
      aPolicy(),
    );
    expect(decision).toMatchObject({ action: 'agent', queueId: 'queue-fallback' });
  });

  it('uses the fallback queue configured for the flow queue', () => {
    const policy = aPolicy({
      perQueue: { 'queue-support': { fallbackQueueId: 'queue-overflow' } },
    });
    expect(decideRoute(input({ customer: null }), policy)).toMatchObject({
      queueId: 'queue-overflow',
    });
  });

  it('falls back to the flow queue when no fallback queue is configured', () => {
    const policy = aPolicy({ defaults: { ...aPolicy().defaults, fallbackQueueId: '' } });
    expect(decideRoute(input({ customer: null }), policy)).toMatchObject({
      queueId: 'queue-support',
    });
  });

  it('caps the ranked list and lists each agent once', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      anOwnership({ agentId: `agent-${i % 25}`, endedAt: NOW - (i + 1) * HOUR }),
    );
    const decision = decideRoute(
      input({ customer: aCustomer({ current: many[0]!, recent: many }) }),
      aPolicy({ maxPreferredAgents: 20 }),
    );
    expect(decision.agentIds).toHaveLength(20);
    expect(new Set(decision.agentIds).size).toBe(20);
    expect(decision.agentScores.at(-1)).toBe(10);
    expect(decision.agentScores.every((s) => s >= 0 && s <= 100)).toBe(true);
  });

  it('never answers null and keeps every field flat', () => {
    for (const [, routingInput] of cases) {
      const decision = decideRoute(routingInput, aPolicy());
      for (const value of Object.values(decision)) {
        expect(value).not.toBeNull();
        expect(value).not.toBeUndefined();
        if (Array.isArray(value))
          expect(value.every((item) => typeof item !== 'object')).toBe(true);
      }
    }
  });
});

describe('ranked agents (issue 10)', () => {
  it('one conversation naming two customers: the ranking starts from the current owner even when recent does not list it', () => {
    const decision = decideRoute(
      input({ customer: aCustomer({ current: ana, recent: [bob] }) }),
      aPolicy(),
    );
    expect(decision).toMatchObject({ action: 'agent', agentId: 'agent-ana' });
    expect(decision.agentIds).toEqual(['agent-ana', 'agent-bob']);
  });
});
