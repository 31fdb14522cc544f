import { describe, expect, it } from 'vitest';
import {
  nockApi,
  nockLogin,
  rateLimitHeaders,
  testClient,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import { errorBody, routingStatus } from '../../../test/support/genesys-payloads.ts';
import type { GenesysClient } from './client.genesys.ts';

useGenesysNock();

const USER = 'a9e6b0c4-6f6d-4b55-9a3b-2f1b0c7d0002';
const STATUS_PATH = `/api/v2/users/${USER}/routingstatus`;
const getStatus = (client: GenesysClient) =>
  client.request('getUserRoutingstatus', (apis) => apis.users.getUserRoutingstatus(USER));

describe('GenesysClient backs off for every request, not one (issue #17)', () => {
  it('after a 429 with Retry-After, the next request waits too instead of hammering the token', async () => {
    const now = 1_000_000;
    const { client, waits } = testClient({ now: () => now });
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(429, errorBody(429, 'too.many.requests', 'Rate limit exceeded'), {
        'Retry-After': '3',
      });
    nockApi('token-1').get(STATUS_PATH).times(2).reply(200, routingStatus(USER, 'IDLE'));
    await getStatus(client);
    expect(waits).toEqual([3000]);
    await getStatus(client); // the clock has not moved: the window is still closed
    expect(waits).toEqual([3000, 3000]);
  });

  it('keeps 10 % of the per-token budget: below it, waits for inin-ratelimit-reset', async () => {
    let now = 1_000_000;
    const { client, waits, lines } = testClient({ now: () => now });
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(200, routingStatus(USER, 'IDLE'), rateLimitHeaders(250, 300, 30));
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(200, routingStatus(USER, 'IDLE'), rateLimitHeaders(275, 300, 7));
    nockApi('token-1').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));
    await getStatus(client);
    await getStatus(client); // 50 left: no wait; then 25 left, under 30
    expect(waits).toEqual([]);
    await getStatus(client);
    expect(waits).toEqual([7000]);
    now += 7000;
    expect(lines.map((l) => l.msg)).toContain(
      'genesys rate limit near or reached: every request waits for the window to reset',
    );
  });
});
