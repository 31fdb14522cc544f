import { z } from 'zod';
import { BridgeError } from '../../errors/catalogue.ts';

/**
 * Lenient zod views of the SDK models the adapters read (names and fields as in
 * `purecloud-platform-client-v2` v262 `index.d.ts`, `Models.*`). Every field is
 * optional, unknown keys pass through, and a field of the wrong type reads as
 * absent instead of failing the whole payload: Genesys adds fields often, and
 * only a handful matter here.
 */
const text = z.string().optional().catch(undefined);
const count = z.number().optional().catch(undefined);
const ref = z.looseObject({ id: text, name: text }).optional().catch(undefined);
const list = <T extends z.ZodType>(item: T) =>
  z
    .array(item.optional().catch(undefined))
    .optional()
    .catch(undefined)
    .transform((items) => (items ?? []).filter((value) => value !== undefined));

/** Models.Address */
const Address = z
  .looseObject({ addressNormalized: text, addressRaw: text, addressDisplayable: text })
  .optional()
  .catch(undefined);

/** Models.MessageMediaParticipant (the fields the bridge reads). */
export const MessageMediaParticipant = z.looseObject({
  id: text,
  address: text,
  purpose: text,
  state: text,
  startTime: text,
  connectedTime: text,
  endTime: text,
  user: ref,
  queue: ref,
  attributes: z.record(z.string(), z.unknown()).optional().catch(undefined),
  /** Models.Wrapup: `code` is the wrap-up code id, `name` its name, `notes` the agent's notes. */
  wrapup: z.looseObject({ code: text, name: text, notes: text, endTime: text }).optional().catch(undefined),
  /** Models.ConversationRoutingData */
  conversationRoutingData: z.looseObject({ queue: ref }).optional().catch(undefined),
  startAcwTime: text,
  endAcwTime: text,
  parkTime: text,
  resumeTime: text,
  fromAddress: Address,
  toAddress: Address,
  type: text,
});
export type MessageMediaParticipant = z.output<typeof MessageMediaParticipant>;

/** Models.MessageConversation (GET /api/v2/conversations/messages/{id}). */
export const MessageConversation = z.looseObject({
  id: text,
  participants: list(MessageMediaParticipant),
});
export type MessageConversation = z.output<typeof MessageConversation>;

/** Models.AnalyticsConversationSegment */
export const AnalyticsSegment = z.looseObject({
  segmentType: text,
  segmentStart: text,
  segmentEnd: text,
  queueId: text,
  wrapUpCode: text,
  /** Analytics spells it `wrapUpNote` (detail events: `wrapupNotes`). */
  wrapUpNote: text,
});
export type AnalyticsSegment = z.output<typeof AnalyticsSegment>;

/** Models.AnalyticsSession */
export const AnalyticsSession = z.looseObject({
  mediaType: text,
  messageType: text,
  ani: text,
  dnis: text,
  addressFrom: text,
  addressTo: text,
  segments: list(AnalyticsSegment),
});
export type AnalyticsSession = z.output<typeof AnalyticsSession>;

/** Models.AnalyticsParticipantWithoutAttributes */
export const AnalyticsParticipant = z.looseObject({
  participantId: text,
  purpose: text,
  userId: text,
  sessions: list(AnalyticsSession),
});
export type AnalyticsParticipant = z.output<typeof AnalyticsParticipant>;

/** Models.AnalyticsConversationWithoutAttributes (GET /api/v2/analytics/conversations/{id}/details). */
export const AnalyticsConversation = z.looseObject({
  conversationId: text,
  conversationStart: text,
  conversationEnd: text,
  participants: list(AnalyticsParticipant),
});
export type AnalyticsConversation = z.output<typeof AnalyticsConversation>;

/** Models.AnalyticsConversationQueryResponse (POST /api/v2/analytics/conversations/details/query). */
export const AnalyticsConversationQueryResponse = z.looseObject({
  conversations: list(
    z.looseObject({ conversationId: text, conversationStart: text, conversationEnd: text }),
  ),
  totalHits: count,
});

/** Models.RoutingStatus (GET /api/v2/users/{id}/routingstatus). */
export const RoutingStatus = z.looseObject({ userId: text, status: text, startTime: text });

/** Models.UserQueueEntityListing (GET /api/v2/users/{id}/queues). */
export const UserQueueEntityListing = z.looseObject({
  entities: list(z.looseObject({ id: text, name: text, joined: z.boolean().optional().catch(undefined) })),
  pageSize: count,
  pageNumber: count,
  total: count,
  pageCount: count,
});

/** Models.User, Models.Queue, Models.WrapupCode: only `name` is read. */
export const NamedEntity = z.looseObject({ id: text, name: text });

/** Parses a body; a body that is not even an object is an unexpected answer (transient). */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown, operation: string): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw new BridgeError('CB_ERR_GENESYS_UNAVAILABLE', `genesys ${operation}: unexpected response body`, {
    cause: parsed.error,
    details: { operation },
  });
}

/** ISO-8601 → epoch ms; 0 when absent or unparsable. */
export function epochMs(iso: string | undefined): number {
  if (iso === undefined) return 0;
  const value = Date.parse(iso);
  return Number.isFinite(value) ? value : 0;
}
