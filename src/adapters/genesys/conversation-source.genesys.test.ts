import { describe, expect, it } from 'vitest';
import { deriveOwnership } from '../../domain/conversation.ts';
import {
  nockApi,
  nockLogin,
  rateLimitHeaders,
  testClient,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import {
  CUSTOMER_NUMBER,
  acdParticipant,
  agentParticipant,
  analyticsConversation,
  analyticsParticipant,
  analyticsQueryPage,
  customerParticipant,
  errorBody,
  messageConversation, IDS } from '../../../test/support/genesys-payloads.ts';
import { GenesysConversationSource } from './conversation-source.genesys.ts';

useGenesysNock();

const CONV = '6f0b2c1e-8d44-4f0e-9a51-7c3f1e2d0a01';
const QUEUE_A = IDS.queueA;
const QUEUE_B = IDS.queueB;
const AGENT_A = IDS.agentA;
const AGENT_B = IDS.agentB;
const AGENT_C = IDS.agentC;
const WRAP_A = IDS.wrapupA;
const WRAP_B = IDS.wrapupB;
const MESSAGE_PATH = `/api/v2/conversations/messages/${CONV}`;
const DETAILS_PATH = `/api/v2/analytics/conversations/${CONV}/details`;
const at = (time: string) => `2025-03-10T${time}.000Z`;
const ms = (time: string) => Date.parse(at(time));

function source(contextAttributes: readonly string[] = []) {
  const { client, logger } = testClient();
  nockLogin('token-1');
  return new GenesysConversationSource({ client, logger, contextAttributes });
}

/** A transfer A → B; B is listed first; C was alerted last but never connected. */
function transferredConversation() {
  return messageConversation(CONV, [
    customerParticipant({
      startTime: at('12:00:00'),
      // Set by the inbound flow; only allow-listed names become context.
      attributes: { sfCaseId: '500Qy00000AbCdEIAV', intent: 'refund', cpf: '123.456.789-09' },
    }),
    acdParticipant(QUEUE_A, at('12:00:01')),
    agentParticipant({
      participantId: 'p-agent-b',
      userId: AGENT_B,
      queueId: QUEUE_B,
      startTime: at('12:10:00'),
      connectedTime: at('12:10:05'),
      endTime: at('12:30:00'),
      endAcwTime: at('12:32:00'),
      wrapup: {
        code: WRAP_B,
        name: 'Resolved',
        notes: 'Refund approved; card statement in 2 days.',
        endTime: at('12:32:00'),
        durationSeconds: 120,
      },
    }),
    agentParticipant({
      participantId: 'p-agent-a',
      userId: AGENT_A,
      queueId: QUEUE_A,
      startTime: at('12:00:02'),
      connectedTime: at('12:00:05'),
      endTime: at('12:09:50'),
      endAcwTime: at('12:10:30'),
      wrapup: { code: WRAP_A, name: 'Transferred', endTime: at('12:10:30') },
    }),
    agentParticipant({
      participantId: 'p-agent-c',
      userId: AGENT_C,
      queueId: QUEUE_B,
      startTime: at('12:33:00'),
      endTime: at('12:33:30'),
    }),
  ]);
}

describe('GenesysConversationSource.loadConversation (message conversation)', () => {
  it('maps participants to a snapshot; the owner after a transfer follows the rule', async () => {
    const conversations = source(['intent', 'orderNumber']);
    nockApi('token-1').get(MESSAGE_PATH).reply(200, transferredConversation(), rateLimitHeaders(3));

    const snapshot = await conversations.loadConversation(CONV);
    expect(snapshot).toEqual({
      conversationId: CONV,
      customerAddress: CUSTOMER_NUMBER,
      startedAt: ms('12:00:00'),
      caseId: '500Qy00000AbCdEIAV',
      channel: 'whatsapp',
      attributes: { intent: 'refund' },
      agentSegments: [
        {
          userId: AGENT_B,
          queueId: QUEUE_B,
          wrapupCode: WRAP_B,
          wrapupName: 'Resolved',
          notes: 'Refund approved; card statement in 2 days.',
          connectedAt: ms('12:10:05'),
          segmentEndedAt: ms('12:30:00'),
          endedAt: ms('12:32:00'),
        },
        {
          userId: AGENT_A,
          queueId: QUEUE_A,
          wrapupCode: WRAP_A,
          wrapupName: 'Transferred',
          notes: '',
          connectedAt: ms('12:00:05'),
          segmentEndedAt: ms('12:09:50'),
          endedAt: ms('12:10:30'),
        },
      ],
    });

    const last = deriveOwnership(snapshot!, 'last', 'event');
    expect(last).toMatchObject({ agentId: AGENT_B, queueId: QUEUE_B, wrapupCode: WRAP_B });
    expect(last).toMatchObject({ endedAt: ms('12:32:00'), transferCount: 1, startedAt: ms('12:00:00') });
    const first = deriveOwnership(snapshot!, 'first', 'event');
    expect(first).toMatchObject({ agentId: AGENT_A, queueId: QUEUE_A, wrapupName: 'Transferred' });
    expect(first).toMatchObject({ endedAt: ms('12:32:00'), transferCount: 1 });
  });

  it('a park and resume by the same agent is one owner and no transfer', async () => {
    const conversations = source();
    const parked = messageConversation(CONV, [
      customerParticipant({ startTime: at('12:00:00') }),
      agentParticipant({
        participantId: 'p-before-park',
        userId: AGENT_A,
        queueId: QUEUE_A,
        startTime: at('12:00:02'),
        connectedTime: at('12:00:05'),
        endTime: at('12:05:00'),
        parkTime: at('12:05:00'),
        wrapup: { code: WRAP_A, name: 'Parked', endTime: at('12:05:30') },
      }),
      agentParticipant({
        participantId: 'p-after-resume',
        userId: AGENT_A,
        startTime: at('14:00:00'),
        connectedTime: at('14:00:02'),
        endTime: at('14:15:00'),
        endAcwTime: at('14:20:00'),
        parkTime: at('12:05:00'),
        resumeTime: at('14:00:00'),
        wrapup: { code: WRAP_B, name: 'Resolved' },
      }),
    ]);
    // The resumed leg has no queue on the participant: it comes from the routing data.
    parked.participants![2]!.conversationRoutingData = { queue: { id: QUEUE_A } };
    nockApi('token-1').get(MESSAGE_PATH).reply(200, parked);

    const snapshot = await conversations.loadConversation(CONV);
    expect(snapshot?.agentSegments.map((s) => [s.queueId, s.endedAt])).toEqual([
      [QUEUE_A, ms('12:05:30')], // no endAcwTime: the wrap-up end
      [QUEUE_A, ms('14:20:00')],
    ]);
    expect(deriveOwnership(snapshot!, 'last', 'event')).toMatchObject({
      agentId: AGENT_A,
      wrapupCode: WRAP_B,
      endedAt: ms('14:20:00'),
      transferCount: 0,
    });
  });

  it('falls back to address / addressRaw and to a caseId attribute on another participant', async () => {
    const conversations = source();
    const body = messageConversation(CONV, [
      customerParticipant({ fromAddress: { addressRaw: '5511987654321' }, address: '' }),
      agentParticipant({
        participantId: 'p-agent-a',
        userId: AGENT_A,
        startTime: at('12:00:02'),
        connectedTime: at('12:00:05'),
        endTime: at('12:09:50'),
      }),
    ]);
    body.participants![1]!.attributes = { caseId: '500Qy00000ZzZzZIAV' };
    nockApi('token-1').get(MESSAGE_PATH).reply(200, body);

    const snapshot = await conversations.loadConversation(CONV);
    expect(snapshot).toMatchObject({ customerAddress: '5511987654321', caseId: '500Qy00000ZzZzZIAV' });
    expect(snapshot?.agentSegments).toEqual([
      expect.objectContaining({ queueId: '', wrapupCode: '', endedAt: ms('12:09:50') }),
    ]);
  });
});

describe('GenesysConversationSource.loadConversation (analytics fallback)', () => {
  const segment = (segmentType: string, start: string, end: string, extra = {}) => ({
    segmentType,
    segmentStart: at(start),
    segmentEnd: at(end),
    ...extra,
  });

  it('on 404 maps analytics details: wrap-up segment end, wrapUpCode, queueId, customer ani', async () => {
    const conversations = source();
    nockApi('token-1').get(MESSAGE_PATH).reply(404, errorBody(404, 'not.found', 'Not found'));
    const details = analyticsConversation(CONV, at('12:00:00'), at('12:40:00'), [
      analyticsParticipant('customer', {
        sessionId: 's-customer',
        ani: CUSTOMER_NUMBER,
        addressFrom: CUSTOMER_NUMBER,
        segments: [segment('interact', '12:00:00', '12:40:00')],
      }),
      analyticsParticipant('acd', {
        sessionId: 's-acd',
        segments: [segment('interact', '12:00:01', '12:00:02', { queueId: QUEUE_A })],
      }),
      analyticsParticipant(
        'agent',
        {
          sessionId: 's-agent-a',
          segments: [
            segment('alert', '12:00:02', '12:00:05', { queueId: QUEUE_A }),
            segment('interact', '12:00:05', '12:09:50', { queueId: QUEUE_A }),
            segment('wrapup', '12:09:50', '12:10:30', { queueId: QUEUE_A, wrapUpCode: WRAP_A }),
          ],
        },
        AGENT_A,
      ),
      analyticsParticipant(
        'agent',
        {
          sessionId: 's-agent-b',
          segments: [
            segment('alert', '12:10:00', '12:10:05', { queueId: QUEUE_B }),
            segment('interact', '12:10:05', '12:30:00', { queueId: QUEUE_B }),
            segment('wrapup', '12:30:00', '12:32:00', {
              queueId: QUEUE_B,
              wrapUpCode: WRAP_B,
              wrapUpNote: 'Refund approved',
            }),
          ],
        },
        AGENT_B,
      ),
      analyticsParticipant(
        'agent',
        { sessionId: 's-agent-c', segments: [segment('alert', '12:33:00', '12:33:30', { queueId: QUEUE_B })] },
        AGENT_C,
      ),
    ]);
    nockApi('token-1').get(DETAILS_PATH).reply(200, details);

    const snapshot = await conversations.loadConversation(CONV);
    expect(snapshot).toEqual({
      conversationId: CONV,
      customerAddress: CUSTOMER_NUMBER,
      startedAt: ms('12:00:00'),
      caseId: '',
      channel: 'whatsapp',
      attributes: {},
      agentSegments: [
        { userId: AGENT_A, queueId: QUEUE_A, wrapupCode: WRAP_A, wrapupName: '', notes: '', connectedAt: ms('12:00:05'), segmentEndedAt: ms('12:09:50'), endedAt: ms('12:10:30') },
        { userId: AGENT_B, queueId: QUEUE_B, wrapupCode: WRAP_B, wrapupName: '', notes: 'Refund approved', connectedAt: ms('12:10:05'), segmentEndedAt: ms('12:30:00'), endedAt: ms('12:32:00') },
      ],
    });
    expect(deriveOwnership(snapshot!, 'last', 'sweep')).toMatchObject({ agentId: AGENT_B, transferCount: 1 });
  });

  it('is null when neither API knows the conversation', async () => {
    const conversations = source();
    nockApi('token-1').get(MESSAGE_PATH).reply(404, errorBody(404, 'not.found', 'Not found'));
    nockApi('token-1').get(DETAILS_PATH).reply(404, errorBody(404, 'not.found', 'Not found'));

    await expect(conversations.loadConversation(CONV)).resolves.toBeNull();
  });

  it('does not fall back on a 5xx: the error surfaces for the job to retry', async () => {
    const conversations = source();
    nockApi('token-1').get(MESSAGE_PATH).reply(502, errorBody(502, 'bad.gateway', 'Bad gateway'));

    await expect(conversations.loadConversation(CONV)).rejects.toMatchObject({
      code: 'CB_ERR_GENESYS_UNAVAILABLE',
    });
  });
});

describe('GenesysConversationSource.listEndedConversations', () => {
  it('pages through the details query and keeps conversations that ended inside [start, end)', async () => {
    const conversations = source();
    const start = Date.parse('2025-03-10T12:00:00.000Z');
    const end = Date.parse('2025-03-10T12:15:00.000Z');
    const iso = (t: number) => new Date(t).toISOString();
    const ended = (i: number, endedAt: number) => ({
      conversationId: `conv-${i}`,
      conversationStart: iso(endedAt - 600_000),
      conversationEnd: iso(endedAt),
    });
    const page1 = Array.from({ length: 100 }, (_, i) => ended(i, start + i * 1000));
    const page2 = [
      ...Array.from({ length: 47 }, (_, i) => ended(100 + i, start + 200_000 + i * 1000)),
      ended(147, start - 1), // before the window
      ended(148, end), // the end is exclusive
      ended(5, start + 5000), // repeated across pages: listed once
    ];
    const bodies: Array<Record<string, unknown>> = [];
    const capture = (pageNumber: number) => (body: Record<string, unknown>) => {
      bodies.push(body);
      return (body.paging as { pageNumber: number }).pageNumber === pageNumber;
    };
    const path = '/api/v2/analytics/conversations/details/query';
    nockApi('token-1').post(path, capture(1)).reply(200, analyticsQueryPage(page1, 150));
    nockApi('token-1').post(path, capture(2)).reply(200, analyticsQueryPage(page2, 150));

    const ids = await conversations.listEndedConversations(start, end);
    expect(ids).toHaveLength(147);
    expect(ids).not.toContain('conv-147');
    expect(ids).not.toContain('conv-148');
    expect(bodies[0]).toEqual({
      interval: '2025-03-09T12:00:00.000Z/2025-03-10T12:15:00.000Z',
      order: 'asc',
      orderBy: 'conversationStart',
      conversationFilters: [
        { type: 'and', predicates: [{ type: 'dimension', dimension: 'conversationEnd', operator: 'exists' }] },
      ],
      segmentFilters: [
        {
          type: 'and',
          predicates: [
            { type: 'dimension', dimension: 'mediaType', operator: 'matches', value: 'message' },
            { type: 'dimension', dimension: 'messageType', operator: 'matches', value: 'whatsapp' },
          ],
        },
      ],
      paging: { pageSize: 100, pageNumber: 1 },
    });
  });

  it('stops on an empty page and answers [] for an empty window', async () => {
    const conversations = source();
    const path = '/api/v2/analytics/conversations/details/query';
    nockApi('token-1').post(path).reply(200, { totalHits: 0 });

    await expect(conversations.listEndedConversations(0, 60_000)).resolves.toEqual([]);
    await expect(conversations.listEndedConversations(60_000, 60_000)).resolves.toEqual([]);
  });
});
