import type { DataActionSchema } from './data-action-contract.ts';

/**
 * What the agent sees about a returning customer: each line hands one lookup
 * output to the conversation as participant data (Set Participant Data), where
 * the agent's script, the interaction panel and Genesys Cloud for Salesforce
 * read it. Participant data persists across transfers (help
 * `set-participant-data-action`).
 *
 * To hand the agent a new lookup field, add one line here; the generator
 * refuses a line whose field the lookup does not answer, and a test refuses a
 * lookup output that is in neither this list nor {@link NOT_FOR_THE_AGENT}.
 */
export const AGENT_CONTEXT: ReadonlyArray<{ readonly attribute: string; readonly field: string }> =
  [
    { attribute: 'Continuity.reason', field: 'reason' },
    { attribute: 'Continuity.action', field: 'action' },
    { attribute: 'Continuity.summary', field: 'contextSummary' },
    { attribute: 'Continuity.lastAgentName', field: 'lastAgentName' },
    { attribute: 'Continuity.lastQueueName', field: 'lastQueueName' },
    { attribute: 'Continuity.lastWrapupName', field: 'lastWrapupName' },
    { attribute: 'Continuity.lastNotes', field: 'lastNotes' },
    { attribute: 'Continuity.unresolved', field: 'unresolved' },
    { attribute: 'Continuity.ageMinutes', field: 'ageMinutes' },
    { attribute: 'Continuity.lastConversationId', field: 'lastConversationId' },
    { attribute: 'Continuity.caseNumber', field: 'caseNumber' },
    { attribute: 'Continuity.caseId', field: 'caseId' },
    { attribute: 'Continuity.contactId', field: 'contactId' },
    { attribute: 'Continuity.vip', field: 'vip' },
    { attribute: 'Continuity.priority', field: 'priority' },
    { attribute: 'Continuity.context', field: 'context' },
  ];

/** Lookup outputs that steer the routing and mean nothing to an agent. */
export const NOT_FOR_THE_AGENT: readonly string[] = [
  'found',
  'agentId',
  'agentScore',
  'agentIds',
  'agentScores',
  'queueId',
  'lastWrapupCode',
  'screenPopId',
];

/**
 * The record Genesys Cloud for Salesforce pops on the agent's console (the
 * Case, else the Contact; the lookup's `screenPopId`). Set only when the
 * lookup names one, so an empty value never pops a blank page.
 */
export const SCREEN_POP = { attribute: 'SF_URLPop', field: 'screenPopId' } as const;

/** `[attribute, value expression]` pairs for Set Participant Data. */
export function agentContextAttributes(schema: DataActionSchema): Array<[string, string]> {
  return AGENT_CONTEXT.map(({ attribute, field }) => {
    const property = schema.properties[field];
    if (!property) throw new Error(`agent context "${attribute}": the lookup has no "${field}"`);
    if (property.type === 'array')
      throw new Error(`agent context "${attribute}": "${field}" is a list, not a value`);
    // Participant data holds strings.
    return [attribute, property.type === 'string' ? `Flow.${field}` : `ToString(Flow.${field})`];
  });
}
