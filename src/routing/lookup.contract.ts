import { z } from 'zod';
import {
  MAX_PRIORITY,
  REASON_CODES,
  ROUTING_ACTIONS,
  type RoutingDecision,
} from '../domain/routing-policy.ts';

/**
 * The routing lookup contract (DESIGN §4). This one schema validates requests,
 * types the service, and generates the OpenAPI document and the Genesys Data
 * Action contract, so the three can never disagree.
 */

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false', ''])])
  .transform((value) => value === true || value === 'true');

const optionalId = z.string().max(64).default('');

export const LookupRequest = z
  .object({
    address: z
      .string()
      .max(200)
      .describe(
        'The customer address in any form: +5511987654321, 5511…, whatsapp:+55…, tel:+55…, or a WhatsApp user id.',
      ),
    conversationId: optionalId.describe(
      'The Genesys conversation asking (logged, not used to route).',
    ),
    queueId: optionalId.describe('The queue the flow would use by default.'),
    isNewConversation: boolish
      .default(true)
      .describe('Message.IsNewConversation from Architect: false for a threaded message.'),
  })
  .strict();
export type LookupRequest = z.output<typeof LookupRequest>;

export const LookupResponse = z
  .object({
    found: z.boolean().describe('An ownership exists for this customer.'),
    action: z.enum(ROUTING_ACTIONS).describe('agent | queue | vip | fallback | restart'),
    agentId: z.string().describe('Preferred agent (Genesys user id), empty when none.'),
    agentScore: z.number().int().min(0).max(100).describe('Score of agentId, 0 when none.'),
    agentIds: z.array(z.string()).describe('Ranked preferred agents, last owner first.'),
    agentScores: z.array(z.number().int().min(0).max(100)).describe('Scores matching agentIds.'),
    queueId: z.string().describe('The queue to transfer to.'),
    reason: z.enum(REASON_CODES).describe('Why this decision was taken.'),
    ageMinutes: z.number().int().min(0).describe('Minutes since the last wrap-up.'),
    lastConversationId: z.string().describe('The conversation the ownership comes from.'),
    contactId: z.string().describe('Salesforce Contact id, empty when unknown.'),
    caseId: z.string().describe('Salesforce open Case id, empty when none.'),
    caseNumber: z.string().describe('Case number for the agent script, empty when none.'),
    vip: z.boolean().describe('The customer is flagged VIP.'),
    lastAgentName: z.string().describe('Name of the last handling agent, empty when unknown.'),
    lastQueueName: z.string().describe('Name of the queue of the last conversation.'),
    lastWrapupCode: z.string().describe('Wrap-up code id of the last conversation.'),
    lastWrapupName: z.string().describe('Wrap-up code name of the last conversation.'),
    lastNotes: z
      .string()
      .describe('Start of the last wrap-up notes (at most 280 bytes; the CRM keeps them whole).'),
    unresolved: z
      .boolean()
      .describe('The last conversation ended unresolved (wrap-up code or Case still open).'),
    priority: z
      .number()
      .int()
      .min(0)
      .max(MAX_PRIORITY)
      .describe('ACD priority for Transfer to ACD: higher is served sooner (1 point = 1 minute).'),
    screenPopId: z.string().describe('Case id, else Contact id, else empty: the record to pop.'),
    contextSummary: z
      .string()
      .describe('One plain line for the agent: who, when, where, how it ended, the notes.'),
    context: z
      .string()
      .describe('Allow-listed conversation attributes as a JSON object string ("{}" when none).'),
  })
  .strict();
export type LookupResponse = z.output<typeof LookupResponse>;

/** True only when A and B are the same type (not merely assignable either way). */
type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/**
 * One type per contract: the decision the policy makes is the lookup's answer.
 * A field added to one and not the other stops the typecheck here.
 */
export const DECISION_IS_RESPONSE: Equals<LookupResponse, RoutingDecision> = true;
