import { describe, expect, it } from 'vitest';
import {
  nockApi,
  nockLogin,
  rateLimitHeaders,
  testClient,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import { errorBody, routingStatus, userQueueListing, IDS } from '../../../test/support/genesys-payloads.ts';
import { GenesysAvailability } from './availability.genesys.ts';

useGenesysNock();

const IDLE = IDS.agentA;
const BUSY = IDS.agentB;
const OFF = IDS.agentC;
const MISSED = IDS.agentD;
const QUEUE_A = IDS.queueA;
const QUEUE_B = IDS.queueB;

const statusPath = (id: string) => `/api/v2/users/${id}/routingstatus`;
const queuesPath = (id: string) => `/api/v2/users/${id}/queues`;
const joined = (pageNumber: number) => ({ joined: 'true', pageSize: '100', pageNumber: String(pageNumber) });

function availability(options: { cacheSeconds?: number; now?: () => number } = {}) {
  const { client, logger, lines } = testClient();
  nockLogin('token-1');
  const source = new GenesysAvailability({ client, logger, cacheSeconds: 30, ...options });
  return { source, lines };
}

function nockOnQueue(agentId: string, status: string, queueIds: string[]) {
  nockApi('token-1').get(statusPath(agentId)).reply(200, routingStatus(agentId, status), rateLimitHeaders(5));
  nockApi('token-1')
    .get(queuesPath(agentId))
    .query(joined(1))
    .reply(200, userQueueListing(queueIds, { pageNumber: 1, pageSize: 100, total: queueIds.length }));
}

describe('GenesysAvailability', () => {
  it('maps routing status and joined queues; off-queue agents cost one call', async () => {
    const { source } = availability();
    nockOnQueue(IDLE, 'IDLE', [QUEUE_A]);
    nockOnQueue(BUSY, 'INTERACTING', [QUEUE_A, QUEUE_B]);
    nockApi('token-1').get(statusPath(OFF)).reply(200, routingStatus(OFF, 'OFF_QUEUE'));
    nockApi('token-1').get(statusPath(MISSED)).reply(200, routingStatus(MISSED, 'NOT_RESPONDING'));

    const answer = await source.getAvailability([IDLE, BUSY, OFF, MISSED, IDLE, '']);
    expect(Object.fromEntries(answer)).toEqual({
      [IDLE]: { status: 'on_queue', queueIds: [QUEUE_A] },
      [BUSY]: { status: 'on_queue', queueIds: [QUEUE_A, QUEUE_B] },
      [OFF]: { status: 'off_queue', queueIds: [] },
      [MISSED]: { status: 'off_queue', queueIds: [] },
    });
  });

  it('pages through joined queues (pageSize 100)', async () => {
    const { source } = availability();
    const many = Array.from({ length: 100 }, (_, i) => `queue-${i}`);
    nockApi('token-1').get(statusPath(IDLE)).reply(200, routingStatus(IDLE, 'COMMUNICATING'));
    nockApi('token-1')
      .get(queuesPath(IDLE))
      .query(joined(1))
      .reply(200, userQueueListing(many, { pageNumber: 1, pageSize: 100, total: 101 }));
    nockApi('token-1')
      .get(queuesPath(IDLE))
      .query(joined(2))
      .reply(200, userQueueListing([QUEUE_B], { pageNumber: 2, pageSize: 100, total: 101 }));

    const answer = await source.getAvailability([IDLE]);
    expect(answer.get(IDLE)).toEqual({ status: 'on_queue', queueIds: [...many, QUEUE_B] });
  });

  it('reuses an answer for cacheSeconds, then asks again', async () => {
    let now = 5_000_000;
    const { source } = availability({ cacheSeconds: 30, now: () => now });
    nockApi('token-1').get(statusPath(OFF)).reply(200, routingStatus(OFF, 'OFF_QUEUE'));
    nockOnQueue(OFF, 'IDLE', [QUEUE_A]);

    const first = await source.getAvailability([OFF]);
    now += 29_000;
    const cached = await source.getAvailability([OFF]);
    now += 2_000;
    const fresh = await source.getAvailability([OFF]);
    expect([first.get(OFF)?.status, cached.get(OFF)?.status, fresh.get(OFF)?.status]).toEqual([
      'off_queue',
      'off_queue',
      'on_queue',
    ]);
  });

  it('shares in-flight lookups between concurrent callers', async () => {
    const { source } = availability();
    nockApi('token-1').get(statusPath(OFF)).delay(30).reply(200, routingStatus(OFF, 'OFF_QUEUE'));

    const [a, b] = await Promise.all([source.getAvailability([OFF]), source.getAvailability([OFF])]);
    expect(a.get(OFF)).toEqual({ status: 'off_queue', queueIds: [] });
    expect(b.get(OFF)).toEqual(a.get(OFF));
  });

  it('leaves an agent out (unknown) when Genesys fails or answers an unknown status, never throws', async () => {
    const { source, lines } = availability();
    nockApi('token-1').get(statusPath(IDLE)).reply(503, errorBody(503, 'service.unavailable', 'Down'));
    nockApi('token-1').get(statusPath(BUSY)).reply(200, routingStatus(BUSY, 'SOMETHING_NEW'));
    nockApi('token-1').get(statusPath(OFF)).reply(200, routingStatus(OFF, 'IDLE'));
    nockApi('token-1').get(queuesPath(OFF)).query(true).reply(429, {}, { 'Retry-After': '600' });
    nockApi('token-1').get(statusPath(MISSED)).reply(200, routingStatus(MISSED, 'OFF_QUEUE'));

    const answer = await source.getAvailability([IDLE, BUSY, OFF, MISSED]);
    expect([...answer.keys()]).toEqual([MISSED]);
    expect(lines.filter((line) => line.level === 40).map((line) => line.agentId)).toEqual([IDLE, OFF]);
  });

  it('on abort answers what is known; the late answer still fills the cache', async () => {
    const { source } = availability();
    nockApi('token-1').get(statusPath(OFF)).reply(200, routingStatus(OFF, 'OFF_QUEUE'));
    await source.getAvailability([OFF]); // known from the cache below

    nockApi('token-1').get(statusPath(IDLE)).delay(300).reply(200, routingStatus(IDLE, 'NOT_RESPONDING'));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 30);
    const started = performance.now();
    const answer = await source.getAvailability([OFF, IDLE], controller.signal);
    expect(performance.now() - started).toBeLessThan(250);
    expect([...answer.keys()]).toEqual([OFF]);

    // Shares the request still in flight, then serves it from the cache.
    await expect(source.getAvailability([IDLE]).then((m) => m.get(IDLE)?.status)).resolves.toBe('off_queue');
    const aborted = AbortSignal.abort();
    await expect(source.getAvailability([IDLE, BUSY], aborted).then((m) => [...m.keys()])).resolves.toEqual([IDLE]);
  });
});
