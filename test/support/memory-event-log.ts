import {
  eventContentFingerprint,
  eventIdentity,
  type WrapUpEvent,
} from '../../src/reconcile/events.contract.ts';
import type { EventLog, RecordOutcome } from '../../src/reconcile/event-log.port.ts';

/**
 * The event log in memory, with the same rules as the Redis one: first
 * delivery of an identity wins, a repeat with other content is a conflict, and
 * reconciled marks are kept per event identity.
 */
export class MemoryEventLog implements EventLog {
  readonly events: WrapUpEvent[] = [];
  readonly marks = new Set<string>();

  async record(events: readonly WrapUpEvent[]): Promise<RecordOutcome[]> {
    return events.map((event) => {
      const seen = this.events.find((e) => eventIdentity(e) === eventIdentity(event));
      if (!seen) {
        this.events.push(event);
        return 'new';
      }
      return eventContentFingerprint(seen) === eventContentFingerprint(event)
        ? 'duplicate'
        : 'conflict';
    });
  }

  async recent(_id: string, limit: number): Promise<WrapUpEvent[]> {
    return [...this.events].sort((a, b) => b.body.eventTime - a.body.eventTime).slice(0, limit);
  }

  async reconciledIdentities(): Promise<ReadonlySet<string>> {
    return new Set(this.marks);
  }

  async markReconciled(_id: string, identities: readonly string[]): Promise<void> {
    // A number is the mark of the bridge before marks by identity; kept so the
    // regression tests can be run against that code to watch them fail.
    if (typeof identities === 'number') this.timeMark = Math.max(this.timeMark, identities);
    else for (const identity of identities) this.marks.add(identity);
  }

  timeMark = 0;
  async reconciledVersion(): Promise<number> {
    return this.timeMark;
  }

  /** True when the event was marked reconciled. */
  reconciled(event: WrapUpEvent): boolean {
    return this.marks.has(eventIdentity(event));
  }
}

/** One WhatsApp event of conversation `c1` (or `conversationId`). */
export function anEvent(
  kind: WrapUpEvent['kind'],
  eventTime: number,
  userId?: string,
  extra: Partial<WrapUpEvent['body']> & { receivedAt?: number } = {},
): WrapUpEvent {
  const { receivedAt, ...body } = extra;
  const conversationId = body.conversationId ?? 'c1';
  return {
    kind,
    topicName: `v2.detail.events.conversation.${conversationId}.${kind}`,
    ...(receivedAt !== undefined && { receivedAt }),
    body: {
      eventTime,
      conversationId,
      mediaType: 'MESSAGE',
      messageType: 'WHATSAPP',
      addressFrom: '+5511987654321',
      ...(userId && { userId, participantId: `p-${userId}`, queueId: 'q1' }),
      ...body,
    },
  };
}
