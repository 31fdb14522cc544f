import { fieldProblems, type FieldProblem } from '../errors/field-problems.ts';
import {
  BareDetailEvent,
  DetailEventBody,
  EventBridgeEnvelope,
  parseTopic,
  type WrapUpEvent,
} from './events.contract.ts';

export interface ParsedEvents {
  /** Events on a reconcile topic for an enqueued media/message type. */
  readonly events: WrapUpEvent[];
  /** Well-formed events the bridge does not act on (other topics, other channels). */
  readonly ignored: number;
}

export type ParseResult =
  | { readonly ok: true; readonly value: ParsedEvents }
  | { readonly ok: false; readonly issues: FieldProblem[] };

export interface EventFilter {
  /** Message types to enqueue (uppercase), e.g. ['WHATSAPP']. */
  readonly messageTypes: readonly string[];
}

const ACW_TOPIC = (conversationId: string) => `v2.detail.events.conversation.${conversationId}.acw`;

/**
 * Reads what `POST /v1/events` received: one EventBridge envelope or an array of
 * them, or one bare detail-event body (Process Automation workflow) or an array.
 * The whole request is rejected when any item is malformed (nothing half-taken);
 * items on other topics or channels are counted as ignored.
 */
export function parseEventsBody(body: unknown, filter: EventFilter): ParseResult {
  const items = Array.isArray(body) ? body : [body];
  const events: WrapUpEvent[] = [];
  const issues: FieldProblem[] = [];
  let ignored = 0;
  if (items.length === 0) return { ok: false, issues: [{ field: '(body)', message: 'no events' }] };

  items.forEach((item, index) => {
    const where = Array.isArray(body) ? `[${index}]` : '';
    const isEnvelope = typeof item === 'object' && item !== null && 'detail' in item;
    let topicName: string;
    let rawBody: unknown;
    if (isEnvelope) {
      const envelope = EventBridgeEnvelope.safeParse(item);
      if (!envelope.success) return void issues.push(...fieldProblems(envelope.error, where));
      topicName = envelope.data.detail.topicName;
      rawBody = envelope.data.detail.eventBody;
      if (!parseTopic(topicName)) return void ignored++;
      const parsedBody = DetailEventBody.safeParse(rawBody);
      if (!parsedBody.success)
        return void issues.push(...fieldProblems(parsedBody.error, `${where}.detail.eventBody`));
      return void accept(topicName, parsedBody.data);
    }
    const bare = BareDetailEvent.safeParse(item);
    if (!bare.success) return void issues.push(...fieldProblems(bare.error, where));
    topicName = bare.data.topicName ?? ACW_TOPIC(bare.data.conversationId);
    if (!parseTopic(topicName)) return void ignored++;
    accept(topicName, bare.data);
  });

  function accept(topicName: string, eventBody: DetailEventBody): void {
    const topic = parseTopic(topicName)!;
    if (topic.conversationId !== eventBody.conversationId) {
      issues.push({
        field: 'topicName',
        message: `names conversation ${topic.conversationId}, body names ${eventBody.conversationId}`,
      });
      return;
    }
    const isMessage = eventBody.mediaType?.toUpperCase() === 'MESSAGE';
    const messageType = eventBody.messageType?.toUpperCase() ?? '';
    if (!isMessage || !filter.messageTypes.includes(messageType)) {
      ignored++;
      return;
    }
    events.push({ kind: topic.kind, topicName, body: eventBody });
  }

  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: { events, ignored } };
}
