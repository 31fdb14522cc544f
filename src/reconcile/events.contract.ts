import { z } from 'zod';

/**
 * Genesys detail events as they reach `POST /v1/events` (DESIGN §4): inside an
 * Amazon EventBridge envelope (`detail.eventBody`), one or an array, or as the
 * bare event body a Process Automation trigger's workflow posts.
 */

export const TOPIC_KINDS = ['acw', 'user.end', 'customer.end'] as const;
export type TopicKind = (typeof TOPIC_KINDS)[number];

const TOPIC = /^v2\.detail\.events\.conversation\.([^.]+)\.(acw|user\.end|customer\.end)$/;

/** `v2.detail.events.conversation.<id>.acw` → `{conversationId, kind}`; null for other topics. */
export function parseTopic(topicName: string): { conversationId: string; kind: TopicKind } | null {
  const match = TOPIC.exec(topicName);
  if (!match) return null;
  return { conversationId: match[1]!, kind: match[2] as TopicKind };
}

const id = z.string().max(128);

/**
 * Fields of the acw / user.end / customer.end event bodies the bridge uses
 * (AcwDetailEventTopicAfterCallWorkEvent and siblings). Unknown fields are kept
 * (loose) because Genesys adds fields over time; the ones we read are typed.
 */
export const DetailEventBody = z.looseObject({
  eventTime: z.number().int().nonnegative().describe('epoch ms'),
  conversationId: id.min(1),
  participantId: id.optional(),
  sessionId: id.optional(),
  mediaType: z.string().max(32).optional(),
  messageType: z.string().max(32).optional(),
  direction: z.string().max(16).optional(),
  ani: z.string().max(256).optional(),
  dnis: z.string().max(256).optional(),
  addressFrom: z.string().max(256).optional(),
  addressTo: z.string().max(256).optional(),
  userId: id.optional(),
  queueId: id.optional(),
  wrapupCode: id.optional(),
  wrapupNotes: z.string().max(10_000).optional(),
  wrapupDurationMs: z.number().optional(),
});
export type DetailEventBody = z.output<typeof DetailEventBody>;

export const EventBridgeEnvelope = z.looseObject({
  version: z.string().optional(),
  id: z.string().max(128).optional(),
  'detail-type': z.string().max(256),
  source: z.string().max(512).optional(),
  time: z.string().optional(),
  detail: z.looseObject({
    topicName: z.string().max(256),
    eventBody: z.unknown(),
    metadata: z.looseObject({ CorrelationId: z.string().optional() }).optional(),
    timestamp: z.string().optional(),
  }),
});
export type EventBridgeEnvelope = z.output<typeof EventBridgeEnvelope>;

/**
 * The bare body a Process Automation workflow posts: the detail event's fields
 * (workflows only see top-level primitives) plus, optionally, the `topicName`
 * the trigger fired on. Without `topicName` the event counts as `acw`, the topic
 * of the trigger we ship.
 */
export const BareDetailEvent = DetailEventBody.extend({
  topicName: z.string().max(256).optional(),
});

/** One accepted event, whatever envelope it came in. */
export interface WrapUpEvent {
  readonly kind: TopicKind;
  readonly topicName: string;
  readonly body: DetailEventBody;
  /**
   * When the bridge received it (epoch ms): the latest its eventTime can be
   * trusted to (DESIGN §2.2). Absent on events recorded before it was kept.
   */
  readonly receivedAt?: number;
}

/** Stable identity of one delivery, for de-duplication (reference §3.2). */
export function eventIdentity(event: WrapUpEvent): string {
  const { body } = event;
  return [event.kind, body.conversationId, body.participantId ?? '', body.eventTime].join('|');
}

/**
 * What a delivery says beyond its identity: the fields the bridge acts on. A
 * redelivery of one identity must say the same; one that names another agent,
 * queue, wrap-up or customer is a conflict, never a duplicate.
 */
export function eventContentFingerprint(event: WrapUpEvent): string {
  const { body } = event;
  return JSON.stringify([
    body.userId ?? '',
    body.queueId ?? '',
    body.wrapupCode ?? '',
    body.direction ?? '',
    body.addressFrom ?? '',
    body.addressTo ?? '',
    body.ani ?? '',
    body.dnis ?? '',
  ]);
}

/** At most this many reasons are listed in a `202` body (the count is exact). */
export const MAX_REJECTED_REASONS = 20;

/**
 * What `POST /v1/events` answers with 202 (DESIGN §4). The post-event Data
 * Action's output contract is generated from this schema.
 */
export const EventsAccepted = z
  .object({
    accepted: z.number().int().min(0).describe('Events newly queued for reconcile.'),
    duplicates: z
      .number()
      .int()
      .min(0)
      .describe('Events already received before (not queued again).'),
    ignored: z.number().int().min(0).describe('Well-formed events the bridge does not act on.'),
    rejected: z
      .number()
      .int()
      .min(0)
      .describe(
        'Well-formed events the bridge refused and will never act on (untrustworthy time, an address that can never be a customer, a redelivery that contradicts the first).',
      ),
    rejectedReasons: z
      .array(z.string().max(300))
      .max(MAX_REJECTED_REASONS)
      .describe(
        'Why, one line per refused event (the first 20), naming the event by position and conversation.',
      ),
  })
  .strict();
export type EventsAccepted = z.output<typeof EventsAccepted>;
