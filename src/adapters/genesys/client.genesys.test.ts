import nock from 'nock';
import platformClient from 'purecloud-platform-client-v2';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isBridgeError } from '../../errors/catalogue.ts';
import {
  API_URL,
  CLIENT_SECRET,
  nockApi,
  nockLogin,
  rateLimitHeaders,
  testClient,
  useGenesysNock,
} from '../../../test/support/genesys-nock.ts';
import { errorBody, routingStatus } from '../../../test/support/genesys-payloads.ts';
import type { GenesysClient } from './client.genesys.ts';
import { resolveEnvironment } from './region.genesys.ts';

useGenesysNock();

const USER = 'a9e6b0c4-6f6d-4b55-9a3b-2f1b0c7d0001';
const STATUS_PATH = `/api/v2/users/${USER}/routingstatus`;
const getStatus = (client: GenesysClient) =>
  client.request('getUserRoutingstatus', (apis) => apis.users.getUserRoutingstatus(USER));

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

afterEach(() => {
  vi.useRealTimers();
});

describe('resolveEnvironment', () => {
  it('accepts region keys, hosts and URLs', () => {
    expect(resolveEnvironment('eu_west_1')).toBe('mypurecloud.ie');
    expect(resolveEnvironment('EU-WEST-1')).toBe('mypurecloud.ie');
    expect(resolveEnvironment('mypurecloud.com.au')).toBe('mypurecloud.com.au');
    expect(resolveEnvironment('https://api.usw2.pure.cloud/')).toBe('usw2.pure.cloud');
  });

  it('rejects what is neither', () => {
    const error = (() => {
      try {
        resolveEnvironment('ireland');
      } catch (caught) {
        return caught;
      }
    })();
    expect(isBridgeError(error, 'CB_ERR_CONFIG')).toBe(true);
  });
});

describe('GenesysClient', () => {
  it('logs in with client credentials, sends the bearer token and records call and budget', async () => {
    const { client, recorder } = testClient();
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(200, routingStatus(USER, 'IDLE'), rateLimitHeaders(42, 300));

    await expect(getStatus(client)).resolves.toMatchObject({ userId: USER, status: 'IDLE' });
    expect(recorder.calls).toEqual(['login:ok', 'getUserRoutingstatus:ok']);
    expect(recorder.budgets).toEqual([{ remaining: 258, limit: 300 }]);
  });

  it('shares one in-flight login between concurrent requests', async () => {
    const { client } = testClient();
    nockLogin('token-1', 86_400, 50);
    nockApi('token-1').get(STATUS_PATH).times(3).reply(200, routingStatus(USER, 'IDLE'));

    await Promise.all([getStatus(client), getStatus(client), getStatus(client)]);
  });

  it('owns its ApiClient: two clients keep their own region and token, the SDK singleton is untouched', async () => {
    const singletonEnvironment = platformClient.ApiClient.config.environment;
    const ie = testClient().client;
    const us = testClient({ region: 'mypurecloud.com' }).client;
    nockLogin('token-ie');
    nock('https://login.mypurecloud.com')
      .post('/oauth/token')
      .reply(200, { access_token: 'token-us', token_type: 'bearer', expires_in: 86_400 });
    nockApi('token-ie').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));
    nock('https://api.mypurecloud.com')
      .matchHeader('authorization', 'Bearer token-us')
      .get(STATUS_PATH)
      .reply(200, routingStatus(USER, 'OFF_QUEUE'));

    await expect(getStatus(ie)).resolves.toMatchObject({ status: 'IDLE' });
    await expect(getStatus(us)).resolves.toMatchObject({ status: 'OFF_QUEUE' });
    expect(platformClient.ApiClient.config.environment).toBe(singletonEnvironment);
  });

  it('logs in again before tokenExpiryTime (margin), not after a failure', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-03-10T12:00:00Z'));
    const { client } = testClient();
    nockLogin('token-1', 3600);
    nockApi('token-1').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));
    await getStatus(client);

    vi.setSystemTime(new Date('2025-03-10T12:58:00Z')); // 2 min before expiry: still valid
    nockApi('token-1').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));
    await getStatus(client);

    vi.setSystemTime(new Date('2025-03-10T12:59:30Z')); // inside the 60 s margin
    nockLogin('token-2', 3600);
    nockApi('token-2').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));
    await getStatus(client);
  });

  it('on a 401 logs in again and replays the call once', async () => {
    const { client, recorder } = testClient();
    nockLogin('token-1');
    nockApi('token-1').get(STATUS_PATH).reply(401, errorBody(401, 'bad.credentials', 'Invalid login'));
    nockLogin('token-2');
    nockApi('token-2').get(STATUS_PATH).reply(200, routingStatus(USER, 'INTERACTING'));

    await expect(getStatus(client)).resolves.toMatchObject({ status: 'INTERACTING' });
    expect(recorder.calls).toEqual([
      'login:ok',
      'getUserRoutingstatus:error',
      'login:ok',
      'getUserRoutingstatus:ok',
    ]);
  });

  it('a second 401 after the replay is CB_ERR_GENESYS_UNAVAILABLE', async () => {
    const { client } = testClient();
    nockLogin('token-1');
    nockApi('token-1').get(STATUS_PATH).reply(401, errorBody(401, 'bad.credentials', 'Invalid login'));
    nockLogin('token-2');
    nockApi('token-2').get(STATUS_PATH).reply(401, errorBody(401, 'bad.credentials', 'Invalid login'));

    const error = await rejection(getStatus(client));
    expect(isBridgeError(error, 'CB_ERR_GENESYS_UNAVAILABLE')).toBe(true);
    expect(error).toMatchObject({ details: { status: 401, code: 'bad.credentials' } });
  });

  it('on a 429 waits Retry-After seconds and retries', async () => {
    const { client, recorder } = testClient({ sleep: undefined }); // the real timer
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(429, errorBody(429, 'too.many.requests.retry.after', 'Rate limit exceeded'), {
        'Retry-After': '1',
        ...rateLimitHeaders(300, 300, 1),
      });
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(200, routingStatus(USER, 'IDLE'), rateLimitHeaders(1, 300));

    const started = performance.now();
    await expect(getStatus(client)).resolves.toMatchObject({ status: 'IDLE' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(recorder.budgets).toEqual([
      { remaining: 0, limit: 300 },
      { remaining: 299, limit: 300 },
    ]);
  });

  it('falls back to inin-ratelimit-reset when Retry-After is absent', async () => {
    const { client, waits } = testClient();
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .reply(429, errorBody(429, 'too.many.requests', 'Rate limit exceeded'), rateLimitHeaders(300, 300, 2));
    nockApi('token-1').get(STATUS_PATH).reply(200, routingStatus(USER, 'IDLE'));

    await expect(getStatus(client)).resolves.toMatchObject({ status: 'IDLE' });
    expect(waits).toEqual([2000]);
  });

  it('gives up after the bounded retries with CB_ERR_GENESYS_RATE_LIMITED', async () => {
    const { client, waits, recorder } = testClient({ maxRetries: 3 });
    nockLogin('token-1');
    nockApi('token-1')
      .get(STATUS_PATH)
      .times(4)
      .reply(429, errorBody(429, 'too.many.requests', 'Rate limit exceeded'), { 'Retry-After': '0' });

    const error = await rejection(getStatus(client));
    expect(isBridgeError(error, 'CB_ERR_GENESYS_RATE_LIMITED')).toBe(true);
    expect(error).toMatchObject({ permanent: false, details: { retries: 3 } });
    expect(waits).toEqual([0, 0, 0]);
    expect(recorder.calls.filter((c) => c === 'getUserRoutingstatus:error')).toHaveLength(4);
  });

  it('does not wait longer than maxRetryWaitMs: fails at once', async () => {
    const { client, waits } = testClient({ maxRetryWaitMs: 5_000 });
    nockLogin('token-1');
    nockApi('token-1').get(STATUS_PATH).reply(429, {}, { 'Retry-After': '61' });

    const error = await rejection(getStatus(client));
    expect(error).toMatchObject({ code: 'CB_ERR_GENESYS_RATE_LIMITED', details: { retryAfterMs: 61_000 } });
    expect(waits).toEqual([]);
  });

  it('returns null on 404 and maps 5xx to CB_ERR_GENESYS_UNAVAILABLE', async () => {
    const { client } = testClient();
    nockLogin('token-1');
    nockApi('token-1').get(STATUS_PATH).reply(404, errorBody(404, 'not.found', 'Not found'));
    nockApi('token-1').get(STATUS_PATH).reply(503, errorBody(503, 'service.unavailable', 'Down'));

    await expect(getStatus(client)).resolves.toBeNull();
    const error = await rejection(getStatus(client));
    expect(error).toMatchObject({ code: 'CB_ERR_GENESYS_UNAVAILABLE', details: { status: 503 } });
  });

  it('maps a network failure to CB_ERR_GENESYS_UNAVAILABLE without leaking credentials', async () => {
    const { client } = testClient();
    nockLogin('token-1');
    nockApi('token-1').get(STATUS_PATH).replyWithError('socket hang up');

    const error = await rejection(getStatus(client));
    expect(error).toMatchObject({ code: 'CB_ERR_GENESYS_UNAVAILABLE' });
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('token-1');
    expect(String((error as Error).cause)).toContain('socket hang up');
  });

  it('a refused login is CB_ERR_GENESYS_UNAVAILABLE and does not carry the secret', async () => {
    const { client, recorder } = testClient();
    nock('https://login.mypurecloud.ie').post('/oauth/token').reply(401, { error: 'invalid_client' });

    const error = await rejection(getStatus(client));
    expect(error).toMatchObject({ code: 'CB_ERR_GENESYS_UNAVAILABLE', details: { operation: 'login', status: 401 } });
    const basic = Buffer.from(`bridge-client-id:${CLIENT_SECRET}`).toString('base64');
    const serialized = JSON.stringify(error, Object.getOwnPropertyNames(error));
    expect(serialized).not.toContain(basic);
    expect(recorder.calls).toEqual(['login:error']);
  });

  it('guard: an unmocked Genesys call fails instead of reaching the network', async () => {
    const { client } = testClient();
    nockLogin('token-1');
    const error = await rejection(getStatus(client));
    expect(error).toMatchObject({ code: 'CB_ERR_GENESYS_UNAVAILABLE' });
    expect(String((error as Error).cause)).toMatch(/disallowed net connect/i);
    expect(`${API_URL}${STATUS_PATH}`).toContain('api.mypurecloud.ie');
  });
});

describe('GenesysClient concurrency', () => {
  it('keeps at most maxConcurrent requests in flight', async () => {
    const { GenesysClient } = await import('./client.genesys.ts');
    const client = new GenesysClient({
      region: 'mypurecloud.ie',
      clientId: 'id',
      clientSecret: 'secret',
      recorder: { call: () => {}, budget: () => {} },
      logger: (await import('../../observability/logger.ts')).createLogger('silent'),
      maxConcurrent: 3,
    });
    // No network: the token is pretended valid and every call is a local promise.
    (client as unknown as { token: unknown }).token = { refreshAt: Number.MAX_SAFE_INTEGER, generation: 0 };
    let active = 0;
    let peak = 0;
    const call = () =>
      client.request('test', async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((resolve) => setTimeout(resolve, 5));
        active--;
        return { status: 200, headers: {}, body: 'ok' };
      });
    const results = await Promise.all(Array.from({ length: 20 }, call));
    expect(results).toHaveLength(20);
    expect(peak).toBe(3);
  });
});
