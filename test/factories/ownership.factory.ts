import type { CustomerKey } from '../../src/domain/customer-key.ts';
import type { CustomerRecord, Ownership } from '../../src/domain/ownership.ts';
import type { PolicyConfig } from '../../src/domain/routing-policy.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const NOW = Date.parse('2026-11-25T12:00:00Z');

let sequence = 0;

export function anOwnership(overrides: Partial<Ownership> = {}): Ownership {
  sequence += 1;
  return {
    conversationId: `conv-${String(sequence).padStart(4, '0')}`,
    agentId: 'agent-ana',
    agentName: 'Ana',
    queueId: 'queue-support',
    queueName: 'Support',
    wrapupCode: 'wrap-resolved',
    wrapupName: 'Resolved',
    startedAt: NOW - 2 * HOUR,
    endedAt: NOW - HOUR,
    transferCount: 0,
    source: 'event',
    caseId: '',
    notes: '',
    unresolved: false,
    channel: 'whatsapp',
    attributes: {},
    ...overrides,
  };
}

export const aPhoneKey = (value = '5511987654321'): CustomerKey => ({ kind: 'phone', value });

export function aCustomer(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  const current = overrides.current === undefined ? anOwnership() : overrides.current;
  return {
    key: aPhoneKey(),
    contactId: '003xx000004TmiQAAS',
    caseId: '',
    caseNumber: '',
    caseOpen: false,
    vip: false,
    current,
    recent: current ? [current] : [],
    ...overrides,
  };
}

export function aPolicy(overrides: Partial<PolicyConfig> = {}): PolicyConfig {
  return {
    defaults: {
      affinityWindowMs: 7 * DAY,
      fallbackQueueId: 'queue-fallback',
      vipQueueId: 'queue-vip',
      unresolvedWrapupCodes: [],
      basePriority: 0,
      unresolvedPriority: 10,
      vipPriority: 20,
    },
    perQueue: {},
    maxPreferredAgents: 20,
    ...overrides,
  };
}
