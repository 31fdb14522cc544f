import { verify } from 'node:crypto';
import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  clientCredentialsConfig,
  clientCredentialsTokenResponse,
  DATA_PATH,
  fakeRecorder,
  INSTANCE_URL,
  INVALID_SESSION,
  JSON_HEADERS,
  jwtConfig,
  jwtTokenResponse,
  keys,
  LIMIT_HEADERS,
  LOGIN_URL,
  MY_DOMAIN,
  silentLogger,
  TOKEN_PATH,
} from '../../../test/support/salesforce-nock.ts';
import { JWT_BEARER_GRANT, jwtAssertion } from './auth.salesforce.ts';
import { createSalesforceClient } from './client.salesforce.ts';

const Limits = z.object({ DailyApiRequests: z.object({ Max: z.number(), Remaining: z.number() }) });
const LIMITS_BODY = { DailyApiRequests: { Max: 15000, Remaining: 14998 } };
const limitsRequest = { method: 'GET', url: `${DATA_PATH}/limits` } as const;

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('jwtAssertion', () => {
  it('signs {"alg":"RS256"} + iss/sub/aud/exp with the private key', () => {
    const nowMs = Date.parse('2026-11-25T12:00:00Z');
    const jwt = jwtAssertion({
      clientId: 'consumer-key',
      username: 'bridge@acme.example',
      audience: LOGIN_URL,
      privateKey: keys.privateKey,
      nowMs,
    });
    const [header, claims, signature] = jwt.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'RS256' });
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
      iss: 'consumer-key',
      sub: 'bridge@acme.example',
      aud: LOGIN_URL,
      exp: nowMs / 1000 + 180,
    });
    const valid = verify(
      'RSA-SHA256',
      Buffer.from(`${header}.${claims}`),
      keys.publicKey,
      Buffer.from(signature!, 'base64url'),
    );
    expect(valid).toBe(true);
  });
});

describe('session', () => {
  it('opens a JWT bearer session, sends the call options, and records calls and budget', async () => {
    let form = new URLSearchParams();
    const token = nock(LOGIN_URL)
      .post(TOKEN_PATH, (body: string) => ((form = new URLSearchParams(body)), true))
      .reply(200, jwtTokenResponse(), JSON_HEADERS);
    const api = nock(INSTANCE_URL)
      .matchHeader('authorization', `Bearer ${jwtTokenResponse().access_token}`)
      .matchHeader('sforce-call-options', 'client=continuity-bridge')
      .get(`${DATA_PATH}/limits`)
      .reply(200, LIMITS_BODY, LIMIT_HEADERS);
    const recorder = fakeRecorder();
    const client = createSalesforceClient({ config: jwtConfig(), recorder, logger: silentLogger });

    await expect(client.request('ping', limitsRequest, Limits)).resolves.toEqual(LIMITS_BODY);

    expect(form.get('grant_type')).toBe(JWT_BEARER_GRANT);
    const claims = JSON.parse(
      Buffer.from(form.get('assertion')!.split('.')[1]!, 'base64url').toString(),
    );
    expect(claims).toMatchObject({
      iss: 'consumer-key',
      sub: 'bridge@acme.example',
      aud: LOGIN_URL,
    });
    expect(claims.exp - Date.now() / 1000).toBeGreaterThan(170);
    expect(form.has('client_secret')).toBe(false);
    expect(recorder.calls).toEqual([
      ['salesforce', 'oauth_token', 'ok'],
      ['salesforce', 'ping', 'ok'],
    ]);
    expect(recorder.budgets).toEqual([['salesforce', 100000 - 10018, 100000]]);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('accepts a client-credentials token response without `id` from the My Domain host', async () => {
    let form = new URLSearchParams();
    const token = nock(MY_DOMAIN)
      .post(TOKEN_PATH, (body: string) => ((form = new URLSearchParams(body)), true))
      .reply(200, clientCredentialsTokenResponse(), JSON_HEADERS);
    const api = nock(INSTANCE_URL)
      .matchHeader('authorization', 'Bearer 00DVC-token')
      .get(`${DATA_PATH}/limits`)
      .reply(200, LIMITS_BODY, JSON_HEADERS);
    const client = createSalesforceClient({
      config: clientCredentialsConfig(),
      recorder: fakeRecorder(),
      logger: silentLogger,
    });

    await client.request('ping', limitsRequest, Limits);

    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'consumer-key',
      client_secret: 'consumer-secret',
    });
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('on 401 INVALID_SESSION_ID re-runs the grant and replays the request', async () => {
    const token = nock(LOGIN_URL)
      .post(TOKEN_PATH)
      .reply(200, jwtTokenResponse('token-1'), JSON_HEADERS)
      .post(TOKEN_PATH)
      .reply(200, jwtTokenResponse('token-2'), JSON_HEADERS);
    const api = nock(INSTANCE_URL)
      .get(`${DATA_PATH}/limits`)
      .matchHeader('authorization', 'Bearer token-1')
      .reply(401, INVALID_SESSION, JSON_HEADERS)
      .get(`${DATA_PATH}/limits`)
      .matchHeader('authorization', 'Bearer token-2')
      .reply(200, LIMITS_BODY, JSON_HEADERS);
    const recorder = fakeRecorder();
    const client = createSalesforceClient({ config: jwtConfig(), recorder, logger: silentLogger });

    await expect(client.request('ping', limitsRequest, Limits)).resolves.toEqual(LIMITS_BODY);

    expect(token.isDone()).toBe(true); // both token interceptors were used: the grant ran twice
    expect(api.isDone()).toBe(true); // the 401 and the replay
    expect(recorder.calls.filter(([, op]) => op === 'oauth_token')).toHaveLength(2);
  });

  it('opens the session again after a failed grant', async () => {
    const token = nock(LOGIN_URL)
      .post(TOKEN_PATH)
      .reply(
        400,
        { error: 'invalid_grant', error_description: 'user hasn’t approved this consumer' },
        JSON_HEADERS,
      )
      .post(TOKEN_PATH)
      .reply(200, jwtTokenResponse(), JSON_HEADERS);
    const api = nock(INSTANCE_URL).get(`${DATA_PATH}/limits`).reply(200, LIMITS_BODY, JSON_HEADERS);
    const client = createSalesforceClient({
      config: jwtConfig(),
      recorder: fakeRecorder(),
      logger: silentLogger,
    });

    await expect(client.request('ping', limitsRequest, Limits)).rejects.toMatchObject({
      name: 'invalid_grant',
    });
    await expect(client.request('ping', limitsRequest, Limits)).resolves.toEqual(LIMITS_BODY);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('rejects an already-aborted call without touching the network', async () => {
    const client = createSalesforceClient({
      config: jwtConfig(),
      recorder: fakeRecorder(),
      logger: silentLogger,
    });
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    await expect(client.request('ping', limitsRequest, Limits, controller.signal)).rejects.toThrow(
      'deadline',
    );
  });
});
