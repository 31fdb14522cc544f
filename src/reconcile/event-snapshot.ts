import type { WrapUpEvent } from './events.contract.ts';
import type { ConversationSnapshot } from '../domain/conversation.ts';
import { channelName } from '../domain/conversation-context.ts';

/**
 * The conversation as far as one event tells it, used when no Genesys
 * credentials are configured (DESIGN §2.1). An acw or user.end event names one
 * agent; its eventTime is the end of that agent's work. A customer.end event
 * names no agent and so yields no owner.
 */
export function snapshotFromEvent(event: WrapUpEvent): ConversationSnapshot {
  const { body, kind } = event;
  // For an inbound WhatsApp conversation the customer is the sender; for an
  // outbound one (agent-initiated) the customer is the recipient.
  const outbound = body.direction?.toUpperCase() === 'OUTBOUND';
  const customerAddress =
    (outbound ? body.addressTo || body.dnis : body.addressFrom || body.ani) ?? '';
  const hasAgent = kind !== 'customer.end' && Boolean(body.userId);
  return {
    conversationId: body.conversationId,
    customerAddress,
    startedAt: 0,
    agentSegments: hasAgent
      ? [
          {
            userId: body.userId ?? '',
            queueId: body.queueId ?? '',
            wrapupCode: body.wrapupCode ?? '',
            wrapupName: '',
            // Only acw events carry notes; user.end has none.
            notes: body.wrapupNotes ?? '',
            connectedAt: 0,
            endedAt: body.eventTime,
          },
        ]
      : [],
    caseId: '',
    channel: channelName(body.messageType),
    attributes: {},
  };
}
