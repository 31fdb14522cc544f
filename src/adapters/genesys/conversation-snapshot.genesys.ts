import type { AgentSegment, ConversationSnapshot } from '../../domain/conversation.ts';
import { channelName, pickAttributes } from '../../domain/conversation-context.ts';
import {
  epochMs,
  type AnalyticsConversation,
  type AnalyticsSegment,
  type MessageConversation,
  type MessageMediaParticipant,
} from './models.genesys.ts';

/**
 * Participant attribute keys that may carry the Salesforce Case id, in order of
 * preference. The inbound flow (or a script) sets them with "Set Participant
 * Data"; the customer participant is searched first, then the others.
 */
export const CASE_ID_ATTRIBUTES = ['sfCaseId', 'caseId'] as const;

function earliest(times: readonly number[]): number {
  const known = times.filter((time) => time > 0);
  return known.length === 0 ? 0 : Math.min(...known);
}

function latest(times: readonly number[]): number {
  return times.reduce((max, time) => Math.max(max, time), 0);
}

function caseIdFrom(participants: readonly MessageMediaParticipant[]): string {
  const ordered = [
    ...participants.filter((p) => p.purpose === 'customer'),
    ...participants.filter((p) => p.purpose !== 'customer'),
  ];
  for (const key of CASE_ID_ATTRIBUTES) {
    for (const participant of ordered) {
      const value = participant.attributes?.[key];
      if (typeof value === 'string' && value.trim() !== '') return value.trim();
    }
  }
  return '';
}

/**
 * An agent participant that handled the conversation: it connected, or it
 * wrapped up. An agent who was only alerted (declined, NOT_RESPONDING) never
 * owns, even if alerted after the real owner ended.
 */
function handled(participant: MessageMediaParticipant): boolean {
  return (
    participant.connectedTime !== undefined ||
    participant.endAcwTime !== undefined ||
    participant.wrapup?.code !== undefined
  );
}

function messageSegment(participant: MessageMediaParticipant): AgentSegment {
  return {
    userId: participant.user?.id ?? '',
    queueId: participant.queue?.id ?? participant.conversationRoutingData?.queue?.id ?? '',
    wrapupCode: participant.wrapup?.code ?? '',
    wrapupName: participant.wrapup?.name ?? '',
    notes: participant.wrapup?.notes ?? '',
    connectedAt: epochMs(participant.connectedTime),
    segmentEndedAt: epochMs(participant.endTime),
    endedAt:
      epochMs(participant.endAcwTime) ||
      epochMs(participant.wrapup?.endTime) ||
      epochMs(participant.endTime),
  };
}

/**
 * `MessageConversation` → snapshot. One agent segment per agent participant
 * with a user id that handled the conversation: a transfer or a reconnect after
 * parking adds a participant, and deriveOwnership picks the owner among them.
 */
export function snapshotFromMessageConversation(
  conversationId: string,
  conversation: MessageConversation,
  contextAttributes: readonly string[] = [],
): ConversationSnapshot {
  const participants = conversation.participants;
  const customer = participants.find((p) => p.purpose === 'customer');
  const customerAddress =
    customer?.fromAddress?.addressNormalized ||
    customer?.address ||
    customer?.fromAddress?.addressRaw ||
    '';
  const agentSegments = participants
    .filter((p) => p.purpose === 'agent' && (p.user?.id ?? '') !== '' && handled(p))
    .map(messageSegment);
  return {
    conversationId: conversation.id || conversationId,
    customerAddress,
    startedAt: earliest(participants.map((p) => epochMs(p.startTime))),
    agentSegments,
    caseId: caseIdFrom(participants),
    // MessageMediaParticipant.type is the messenger (whatsapp, sms, …).
    channel: channelName(customer?.type ?? participants.find((p) => p.type)?.type),
    attributes: pickAttributes(
      [customer?.attributes, ...participants.filter((p) => p !== customer).map((p) => p.attributes)],
      contextAttributes,
    ),
  };
}

function analyticsSegment(userId: string, segments: readonly AnalyticsSegment[]): AgentSegment | null {
  const interact = segments.filter((s) => s.segmentType === 'interact');
  const wrapup = segments.filter((s) => s.segmentType === 'wrapup').at(-1);
  if (interact.length === 0 && wrapup === undefined) return null;
  const withQueue = [...segments].reverse().find((s) => (s.queueId ?? '') !== '');
  return {
    userId,
    queueId: wrapup?.queueId || withQueue?.queueId || '',
    wrapupCode: wrapup?.wrapUpCode ?? '',
    // Analytics carries the wrap-up code id only; the name is resolved later.
    wrapupName: '',
    notes: wrapup?.wrapUpNote ?? '',
    connectedAt: earliest(interact.map((s) => epochMs(s.segmentStart))),
    segmentEndedAt: latest(interact.map((s) => epochMs(s.segmentEnd))),
    endedAt: epochMs(wrapup?.segmentEnd) || latest(segments.map((s) => epochMs(s.segmentEnd))),
  };
}

/**
 * `AnalyticsConversationWithoutAttributes` → snapshot, for conversations the
 * conversations API no longer serves. One agent segment per agent session with
 * an `interact` or `wrapup` segment; `endedAt` is the wrap-up segment's end,
 * else the session's last segment end. Analytics details carry no participant
 * attributes, so `caseId` and `attributes` are empty here.
 */
export function snapshotFromAnalyticsConversation(
  conversationId: string,
  conversation: AnalyticsConversation,
): ConversationSnapshot {
  const participants = conversation.participants;
  const customerSessions = participants
    .filter((p) => p.purpose === 'customer')
    .flatMap((p) => p.sessions);
  const addressed = customerSessions.find((s) => (s.ani || s.addressFrom || '') !== '');
  const agentSegments: AgentSegment[] = [];
  for (const participant of participants) {
    const userId = participant.userId ?? '';
    if (participant.purpose !== 'agent' || userId === '') continue;
    for (const session of participant.sessions) {
      const segment = analyticsSegment(userId, session.segments);
      if (segment) agentSegments.push(segment);
    }
  }
  const segmentStarts = participants.flatMap((p) =>
    p.sessions.flatMap((s) => s.segments.map((segment) => epochMs(segment.segmentStart))),
  );
  return {
    conversationId: conversation.conversationId || conversationId,
    customerAddress: addressed?.ani || addressed?.addressFrom || '',
    startedAt: epochMs(conversation.conversationStart) || earliest(segmentStarts),
    agentSegments,
    caseId: '',
    channel: channelName(customerSessions.find((s) => s.messageType)?.messageType),
    // Analytics details carry no participant attributes.
    attributes: {},
  };
}
