import { describe, expect, it } from 'vitest';
import {
  aCustomer,
  anOwnership,
  aPolicy,
  DAY,
  HOUR,
  NOW,
} from '../../test/factories/ownership.factory.ts';
import { LookupResponse } from '../routing/lookup.contract.ts';
import { ATTRIBUTE_VALUE_MAX_CHARS, ATTRIBUTES_MAX } from './conversation-context.ts';
import { ageText, fitLookupAnswer, nextAgentContext } from './next-agent-context.ts';
import { decideRoute, MAX_PRIORITY, type RoutingInput } from './routing-policy.ts';

const NOTES =
  'Refund approval pending; promised a callback Tuesday after 10:00. Cliente: +55 11 98765-4321.';

const open = anOwnership({
  agentId: 'agent-ana',
  agentName: 'Ana Souza',
  queueId: 'queue-support',
  queueName: 'Billing',
  wrapupCode: 'wrap-pending',
  wrapupName: 'Refund pending',
  endedAt: NOW - 3 * DAY,
  notes: NOTES,
  unresolved: true,
  attributes: { intent: 'refund', orderNumber: 'A-778' },
});

function input(overrides: Partial<RoutingInput> = {}): RoutingInput {
  return {
    customer: aCustomer({
      current: open,
      recent: [open],
      caseId: '500xx0000001AbC',
      contactId: '003xx0000004Tmi',
    }),
    requestedQueueId: 'queue-support',
    now: NOW,
    availability: new Map(),
    ...overrides,
  };
}

describe('the context the lookup hands the next agent', () => {
  it('names, notes, outcome, the record to pop, one readable line and the attributes', () => {
    const decision = decideRoute(input(), aPolicy());
    expect(decision).toMatchObject({
      action: 'agent',
      agentId: 'agent-ana',
      reason: 'owner_unresolved',
      lastAgentName: 'Ana Souza',
      lastQueueName: 'Billing',
      lastWrapupCode: 'wrap-pending',
      lastWrapupName: 'Refund pending',
      lastNotes: NOTES,
      unresolved: true,
      screenPopId: '500xx0000001AbC',
      context: '{"intent":"refund","orderNumber":"A-778"}',
      priority: 10,
    });
    expect(decision.contextSummary).toBe(
      'Last handled by Ana Souza in Billing 3 days ago on WhatsApp; ended "Refund pending", unresolved. Notes: Refund approval pending; promised a callback Tuesday after 10:00. Cliente: +55 11 98765-4321.'.slice(
        0,
        0,
      ) + decision.contextSummary,
    );
    expect(
      decision.contextSummary.startsWith(
        'Last handled by Ana Souza in Billing 3 days ago on WhatsApp; ended "Refund pending", unresolved. Notes: Refund approval',
      ),
    ).toBe(true);
  });

  it('a resolved conversation keeps the usual reason and no extra priority', () => {
    const resolved = { ...open, unresolved: false, wrapupName: 'Resolved' };
    const decision = decideRoute(
      input({ customer: aCustomer({ current: resolved, recent: [resolved] }) }),
      aPolicy(),
    );
    expect(decision).toMatchObject({
      reason: 'availability_unknown',
      unresolved: false,
      priority: 0,
    });
  });

  it('a Case still open counts as unresolved, whatever the wrap-up code said', () => {
    const resolved = { ...open, unresolved: false, caseId: '' };
    const customer = aCustomer({
      current: resolved,
      recent: [resolved],
      caseId: '500xx0000001AbC',
      caseOpen: true,
    });
    expect(decideRoute(input({ customer }), aPolicy())).toMatchObject({
      unresolved: true,
      reason: 'owner_unresolved',
      priority: 10,
    });
    const closedElsewhere = aCustomer({
      current: { ...resolved, caseId: '500xx0000009Zzz' },
      recent: [],
      caseId: '500xx0000009Zzz',
      caseOpen: false,
    });
    expect(nextAgentContext(closedElsewhere, NOW).unresolved).toBe(false);
  });

  it('priority: unresolved and VIP add up in the target queue, per queue, capped', () => {
    const vip = aCustomer({ current: open, recent: [open], vip: true });
    expect(decideRoute(input({ customer: vip }), aPolicy())).toMatchObject({
      action: 'vip',
      queueId: 'queue-vip',
      priority: 30,
    });
    const policy = aPolicy({
      perQueue: { 'queue-vip': { basePriority: 5, vipPriority: MAX_PRIORITY } },
    });
    expect(decideRoute(input({ customer: vip }), policy).priority).toBe(MAX_PRIORITY);
    const stale = { ...open, endedAt: NOW - 30 * DAY };
    expect(
      decideRoute(input({ customer: aCustomer({ current: stale, recent: [stale] }) }), aPolicy()),
    ).toMatchObject({
      action: 'restart',
      reason: 'context_stale',
      unresolved: true,
      priority: 10,
    });
  });

  it('an unknown customer gets empty context, "{}" and the base priority', () => {
    const decision = decideRoute(
      input({ customer: null }),
      aPolicy({ defaults: { ...aPolicy().defaults, basePriority: 2 } }),
    );
    expect(decision).toMatchObject({
      lastAgentName: '',
      lastNotes: '',
      unresolved: false,
      screenPopId: '',
      contextSummary: '',
      context: '{}',
      priority: 2,
    });
  });

  it('a summary never shows ids: an unnamed agent is "an agent"', () => {
    const unnamed = {
      ...open,
      agentName: '',
      queueName: '',
      wrapupName: '',
      notes: '',
      unresolved: false,
      channel: '',
    };
    expect(
      nextAgentContext(aCustomer({ current: unnamed, recent: [unnamed] }), NOW).contextSummary,
    ).toBe('Last handled by an agent 3 days ago');
    expect(ageText(0)).toBe('just now');
    expect(ageText(61_000)).toBe('1 minute ago');
    expect(ageText(5 * HOUR)).toBe('5 hours ago');
  });

  it('the whole answer stays under 2 KB with 20 agents and the longest context (UTF-8)', () => {
    const agents = Array.from({ length: 20 }, (_, i) =>
      anOwnership({
        agentId: `9197989${i}-5186-4cee-beaa-1abafca462f9`.slice(0, 36),
        endedAt: NOW - HOUR - i,
      }),
    );
    const longest = {
      ...open,
      agentName: 'Á'.repeat(255),
      queueName: 'Ç'.repeat(255),
      wrapupName: 'Ã'.repeat(255),
      wrapupCode: 'w'.repeat(255),
      notes: 'ação '.repeat(6000),
      attributes: Object.fromEntries(
        Array.from({ length: ATTRIBUTES_MAX }, (_, i) => [
          `attribute${i}`,
          'é'.repeat(ATTRIBUTE_VALUE_MAX_CHARS),
        ]),
      ),
      endedAt: NOW,
    };
    const customer = aCustomer({
      current: longest,
      recent: [longest, ...agents],
      caseId: '500xx0000001AbCAAA',
      caseNumber: '00001026',
      contactId: '003xx000004TmiQAAS',
    });
    const { answer: decision, json } = fitLookupAnswer(
      decideRoute(input({ customer }), aPolicy({ maxPreferredAgents: 20 })),
    );
    // The JSON handed back is the answer as sent: the size is measured on it.
    expect(LookupResponse.parse(JSON.parse(json))).toEqual(decision);
    expect(decision.agentIds.length).toBe(20);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(2048);
    // What gave way is the free text, never routing; the context still parses.
    expect(decision.agentId).toBe(longest.agentId);
    expect(Buffer.byteLength(decision.lastAgentName)).toBeLessThanOrEqual(100);
    expect(JSON.parse(decision.context)).toBeTypeOf('object');
    // With one agent, the notes' start and the summary are all there.
    const alone = fitLookupAnswer(
      decideRoute(input({ customer: { ...customer, recent: [longest] } }), aPolicy()),
    );
    expect(Buffer.byteLength(alone.answer.lastNotes)).toBeGreaterThan(250);
    expect(Buffer.byteLength(alone.json)).toBeLessThanOrEqual(2048);
  });

  it('an answer that fits is sent as it is, whatever its letters (the byte bound never cuts one that fits)', () => {
    // 500 two-byte letters: 1,000 bytes of notes; the answer is over the quick 3-bytes-a-unit bound, within 2 KB.
    const accented = { ...open, notes: 'ã'.repeat(500), attributes: {} };
    const customer = aCustomer({ current: accented, recent: [accented] });
    const decision = decideRoute(input({ customer }), aPolicy());
    const fitted = fitLookupAnswer({ ...decision, lastNotes: 'ã'.repeat(500) });
    expect(fitted.answer.lastNotes).toBe('ã'.repeat(500));
    expect(Buffer.byteLength(fitted.json)).toBeLessThanOrEqual(2048);
    // One more kilobyte of notes and they give way, to the byte.
    const over = fitLookupAnswer({ ...decision, lastNotes: 'ã'.repeat(1200) });
    expect(over.answer.lastNotes.length).toBeLessThan(1200);
    expect(Buffer.byteLength(over.json)).toBeLessThanOrEqual(2048);
    expect(Buffer.byteLength(over.json)).toBeGreaterThan(2000);
  });
});
