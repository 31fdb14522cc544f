import type { WrapUpEvent } from './events.contract.ts';
import type { AgentSegment, ConversationSnapshot } from '../domain/conversation.ts';
import { channelName } from '../domain/conversation-context.ts';
import { judgeTime } from '../domain/trusted-time.ts';

/** How the times of events are judged: against their receipt, with this skew allowed. */
export interface EventTimeRules {
  /** Stands in for the receipt time of events recorded before it was kept. */
  readonly now: number;
  readonly maxSkewMs: number;
}

/** An event names an agent when it is an acw or user.end with a user id. */
export const namesAgent = (event: WrapUpEvent): boolean =>
  event.kind !== 'customer.end' && Boolean(event.body.userId);

/**
 * The time of an event the bridge can use as a version: its eventTime, capped
 * at its receipt when it claims to be later than that plus the skew allowance.
 * Events the ingest refused (before 2015) never reach the log; should one be
 * there anyway, its receipt time stands in.
 */
export function trustedEventTime(
  event: WrapUpEvent,
  rules: EventTimeRules,
): { time: number; capped: boolean } {
  const verdict = judgeTime(event.body.eventTime, event.receivedAt ?? rules.now, rules.maxSkewMs);
  if (verdict.kind === 'trusted') return { time: verdict.time, capped: false };
  if (verdict.kind === 'capped') return { time: verdict.time, capped: true };
  return { time: event.receivedAt ?? rules.now, capped: true };
}

/** For an inbound conversation the customer is the sender; for an outbound one, the recipient. */
export function customerAddressOf(event: WrapUpEvent): string {
  const { body } = event;
  const outbound = body.direction?.toUpperCase() === 'OUTBOUND';
  return (outbound ? body.addressTo || body.dnis : body.addressFrom || body.ani) ?? '';
}

/**
 * The conversation as far as its events tell it, used when no Genesys
 * credentials are configured (DESIGN §2.1). Every agent event counts, not only
 * the newest: one segment per agent participant, whose handling ended at its
 * user.end (or at the acw minus its wrap-up duration) and whose work ended at
 * its latest event. customer.end events name no agent and add no segment.
 */
export function snapshotFromEvents(
  events: readonly WrapUpEvent[],
  rules: EventTimeRules,
): { snapshot: ConversationSnapshot | null; capped: boolean } {
  let capped = false;
  const segments = new Map<string, AgentSegment>();
  const chronological = [...events].sort((a, b) => a.body.eventTime - b.body.eventTime);
  for (const event of chronological.filter(namesAgent)) {
    const { body } = event;
    const trusted = trustedEventTime(event, rules);
    capped ||= trusted.capped;
    const handlingEnd =
      event.kind === 'user.end'
        ? trusted.time
        : trusted.time - Math.max(0, Math.min(body.wrapupDurationMs ?? 0, trusted.time));
    const participant = body.participantId || `user:${body.userId}`;
    const seen = segments.get(participant);
    segments.set(participant, {
      userId: body.userId ?? '',
      queueId: body.queueId || seen?.queueId || '',
      wrapupCode: body.wrapupCode || seen?.wrapupCode || '',
      wrapupName: '',
      // Only acw events carry notes; user.end has none.
      notes: body.wrapupNotes || seen?.notes || '',
      connectedAt: 0,
      // A user.end says exactly when handling ended; an acw only estimates it.
      segmentEndedAt:
        event.kind === 'user.end' || !seen?.segmentEndedAt ? handlingEnd : seen.segmentEndedAt,
      endedAt: Math.max(seen?.endedAt ?? 0, trusted.time),
    });
  }
  if (segments.size === 0) return { snapshot: null, capped };
  const withAddress = [...chronological].reverse().find((e) => customerAddressOf(e) !== '');
  const snapshot: ConversationSnapshot = {
    conversationId: events[0]!.body.conversationId,
    customerAddress: withAddress ? customerAddressOf(withAddress) : '',
    startedAt: 0,
    agentSegments: [...segments.values()],
    caseId: '',
    channel: channelName(chronological.find((e) => e.body.messageType)?.body.messageType),
    attributes: {},
  };
  return { snapshot, capped };
}
