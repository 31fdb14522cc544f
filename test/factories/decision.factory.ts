import type { RoutingDecision } from '../../src/domain/routing-policy.ts';

export const AGENT_ID = '91979899-5186-4cee-beaa-1abafca462f9';
export const QUEUE_ID = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
export const CONVERSATION_ID = '9bd13240-8441-404f-bd30-a6a8babba5d4';

/**
 * A complete flat decision: every field at its empty value (what the flow gets
 * for a customer the bridge has never seen), then the overrides. The one place
 * tests and benchmarks spell the whole response, so a new field is added here.
 */
export function aDecision(overrides: Partial<RoutingDecision> = {}): RoutingDecision {
  return {
    found: false,
    action: 'fallback',
    agentId: '',
    agentScore: 0,
    agentIds: [],
    agentScores: [],
    queueId: '',
    reason: 'no_history',
    ageMinutes: 0,
    lastConversationId: '',
    contactId: '',
    caseId: '',
    caseNumber: '',
    vip: false,
    lastAgentName: '',
    lastQueueName: '',
    lastWrapupCode: '',
    lastWrapupName: '',
    lastNotes: '',
    unresolved: false,
    priority: 0,
    screenPopId: '',
    contextSummary: '',
    context: '{}',
    ...overrides,
  };
}

/** The decision for a known customer whose owner is preferred: agent, queue, age, contact. */
export function anAgentDecision(overrides: Partial<RoutingDecision> = {}): RoutingDecision {
  return aDecision({
    found: true,
    action: 'agent',
    agentId: AGENT_ID,
    agentScore: 100,
    agentIds: [AGENT_ID],
    agentScores: [100],
    queueId: QUEUE_ID,
    reason: 'owner_available',
    ageMinutes: 42,
    lastConversationId: CONVERSATION_ID,
    contactId: '003xx000004TmiQAAS',
    ...overrides,
  });
}
