import type platformClient from 'purecloud-platform-client-v2';

/**
 * Genesys response bodies for nock, typed with the SDK models of
 * `purecloud-platform-client-v2` v262 (`index.d.ts`, `Models.*`), so a field
 * name that is not in the model fails `tsc`. Field names and enum values come
 * from the models and their docs (reference §4.5–4.7); ids and times are
 * invented. Analytics enum values are lowercase, as the API returns them.
 */
export type MessageConversation = platformClient.Models.MessageConversation;
export type MessageMediaParticipant = platformClient.Models.MessageMediaParticipant;

export const CUSTOMER_NUMBER = '+5511987654321';

/** Genesys ids shared by the adapter tests (users, queues, wrap-up codes). */
export const IDS = {
  agentA: 'aaaaaaaa-0000-4000-8000-00000000000a',
  agentB: 'bbbbbbbb-0000-4000-8000-00000000000b',
  agentC: 'cccccccc-0000-4000-8000-00000000000c',
  agentD: 'dddddddd-0000-4000-8000-00000000000d',
  queueA: '11111111-aaaa-4aaa-8aaa-000000000001',
  queueB: '22222222-bbbb-4bbb-8bbb-000000000002',
  wrapupA: 'a0a0a0a0-1111-4111-8111-000000000001',
  wrapupB: 'b0b0b0b0-2222-4222-8222-000000000002',
} as const;
export const BUSINESS_NUMBER = '+5511300000000';

/** Models.MessageMediaParticipant, purpose `customer` (WhatsApp, inbound). */
export function customerParticipant(
  overrides: Partial<MessageMediaParticipant> = {},
): MessageMediaParticipant {
  return {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    name: 'Maria Silva',
    address: CUSTOMER_NUMBER,
    startTime: '2025-03-10T12:00:00.000Z',
    connectedTime: '2025-03-10T12:00:00.100Z',
    endTime: '2025-03-10T12:40:00.000Z',
    purpose: 'customer',
    state: 'disconnected',
    direction: 'inbound',
    held: false,
    wrapupRequired: false,
    attributes: {},
    provider: 'PureCloud Messaging',
    // Models.Address
    fromAddress: {
      name: 'Maria Silva',
      addressNormalized: CUSTOMER_NUMBER,
      addressRaw: '5511987654321',
      addressDisplayable: '+55 11 98765-4321',
    },
    toAddress: { addressNormalized: BUSINESS_NUMBER, addressRaw: BUSINESS_NUMBER },
    type: 'whatsapp',
    ...overrides,
  };
}

/** Models.MessageMediaParticipant, purpose `acd` (the queue leg). */
export function acdParticipant(queueId: string, startTime: string): MessageMediaParticipant {
  return {
    id: 'acd00000-0000-4000-8000-000000000002',
    name: 'WhatsApp Support',
    startTime,
    endTime: startTime,
    purpose: 'acd',
    state: 'disconnected',
    direction: 'inbound',
    queue: { id: queueId, selfUri: `/api/v2/routing/queues/${queueId}` },
    // Models.ConversationRoutingData
    conversationRoutingData: { queue: { id: queueId }, priority: 0, skills: [], scoredAgents: [] },
    type: 'whatsapp',
  };
}

export interface AgentLeg {
  readonly participantId: string;
  readonly userId: string;
  readonly queueId?: string;
  readonly startTime: string;
  readonly connectedTime?: string;
  readonly endTime?: string;
  readonly endAcwTime?: string;
  /** Models.Wrapup */
  readonly wrapup?: platformClient.Models.Wrapup;
  readonly state?: string;
  readonly parkTime?: string;
  readonly resumeTime?: string;
}

/** Models.MessageMediaParticipant, purpose `agent`. */
export function agentParticipant(leg: AgentLeg): MessageMediaParticipant {
  return {
    id: leg.participantId,
    name: 'Agent',
    startTime: leg.startTime,
    ...(leg.connectedTime && { connectedTime: leg.connectedTime }),
    ...(leg.endTime && { endTime: leg.endTime }),
    purpose: 'agent',
    state: leg.state ?? 'disconnected',
    direction: 'inbound',
    held: false,
    wrapupRequired: true,
    user: { id: leg.userId, selfUri: `/api/v2/users/${leg.userId}` },
    ...(leg.queueId && {
      queue: { id: leg.queueId, selfUri: `/api/v2/routing/queues/${leg.queueId}` },
    }),
    attributes: {},
    ...(leg.wrapup && { wrapup: leg.wrapup }),
    ...(leg.endTime && { startAcwTime: leg.endTime }),
    ...(leg.endAcwTime && { endAcwTime: leg.endAcwTime }),
    ...(leg.parkTime && { parkTime: leg.parkTime }),
    ...(leg.resumeTime && { resumeTime: leg.resumeTime }),
    type: 'whatsapp',
  };
}

/** Models.MessageConversation (GET /api/v2/conversations/messages/{id}). */
export function messageConversation(
  id: string,
  participants: MessageMediaParticipant[],
): MessageConversation {
  return {
    id,
    participants,
    recentTransfers: [],
    divisions: [],
    selfUri: `/api/v2/conversations/messages/${id}`,
  };
}

/** Models.AnalyticsConversationSegment */
export type AnalyticsSegment = platformClient.Models.AnalyticsConversationSegment;
/** Models.AnalyticsSession */
export type AnalyticsSession = platformClient.Models.AnalyticsSession;

/** Models.AnalyticsParticipantWithoutAttributes with one message session. */
export function analyticsParticipant(
  purpose: string,
  session: AnalyticsSession,
  userId?: string,
): platformClient.Models.AnalyticsParticipantWithoutAttributes {
  return {
    participantId: `${purpose}-${userId ?? 'p'}-${session.sessionId ?? 's'}`,
    purpose,
    ...(userId && { userId }),
    sessions: [{ mediaType: 'message', messageType: 'whatsapp', direction: 'inbound', ...session }],
  };
}

/** Models.AnalyticsConversationWithoutAttributes (GET /api/v2/analytics/conversations/{id}/details). */
export function analyticsConversation(
  conversationId: string,
  conversationStart: string,
  conversationEnd: string,
  participants: platformClient.Models.AnalyticsParticipantWithoutAttributes[],
): platformClient.Models.AnalyticsConversationWithoutAttributes {
  return {
    conversationId,
    conversationStart,
    conversationEnd,
    originatingDirection: 'inbound',
    divisionIds: ['d1v00000-0000-4000-8000-000000000000'],
    participants,
  };
}

/** Models.AnalyticsConversationQueryResponse (POST /api/v2/analytics/conversations/details/query). */
export function analyticsQueryPage(
  conversations: Array<{
    conversationId: string;
    conversationStart: string;
    conversationEnd: string;
  }>,
  totalHits: number,
): platformClient.Models.AnalyticsConversationQueryResponse {
  return {
    totalHits,
    conversations: conversations.map((c) =>
      analyticsConversation(c.conversationId, c.conversationStart, c.conversationEnd, []),
    ),
  };
}

/** Models.RoutingStatus (GET /api/v2/users/{id}/routingstatus). */
export function routingStatus(userId: string, status: string): platformClient.Models.RoutingStatus {
  return { userId, status, startTime: '2025-03-10T08:00:00.000Z' };
}

/** Models.UserQueueEntityListing (GET /api/v2/users/{id}/queues). */
export function userQueueListing(
  queueIds: readonly string[],
  page: { pageNumber: number; pageSize: number; total: number },
): platformClient.Models.UserQueueEntityListing {
  const pageCount = Math.ceil(page.total / page.pageSize);
  return {
    // Models.UserQueue
    entities: queueIds.map((id) => ({ id, name: `Queue ${id}`, joined: true, memberCount: 12 })),
    pageSize: page.pageSize,
    pageNumber: page.pageNumber,
    total: page.total,
    pageCount,
    firstUri: `/api/v2/users/me/queues?pageSize=${page.pageSize}&pageNumber=1`,
    selfUri: `/api/v2/users/me/queues?pageSize=${page.pageSize}&pageNumber=${page.pageNumber}`,
    lastUri: `/api/v2/users/me/queues?pageSize=${page.pageSize}&pageNumber=${pageCount}`,
  };
}

/** Models.User (GET /api/v2/users/{id}); `version` is required by the model. */
export function user(id: string, name: string): platformClient.Models.User {
  return { id, name, state: 'active', username: `${id}@example.com`, version: 3 };
}

/** Models.Queue (GET /api/v2/routing/queues/{id}). */
export function queue(id: string, name: string): platformClient.Models.Queue {
  return { id, name, memberCount: 12, joinedMemberCount: 8, lastAgentRoutingMode: 'AnyAgent' };
}

/** Models.WrapupCode (GET /api/v2/routing/wrapupcodes/{id}). */
export function wrapupCode(id: string, name: string): platformClient.Models.WrapupCode {
  return { id, name, description: '' };
}

/** Models.ErrorBody as Genesys returns it on a failure. */
export function errorBody(
  status: number,
  code: string,
  message: string,
): platformClient.Models.ErrorBody {
  return { status, code, message, contextId: 'ctx-00000000', details: [], errors: [] };
}
