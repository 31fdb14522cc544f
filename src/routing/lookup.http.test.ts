import { aDecision } from '../../test/factories/decision.factory.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LookupResponse } from './lookup.contract.ts';
import { createLogger } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import { unknownAvailability } from './availability.port.ts';
import { LookupService } from './lookup.service.ts';
import {
  aCustomer,
  anOwnership,
  aPhoneKey,
  aPolicy,
  HOUR,
  NOW,
} from '../../test/factories/ownership.factory.ts';
import { FakeStore, MemoryCache } from '../../test/support/fakes.ts';
import { listen, type RunningApp } from '../../test/support/http.ts';
import { buildApp } from '../http/app.ts';
import { lookupRoutes } from './lookup.http.ts';

const TOKEN = 'test-token-0123456789abcdef';
const OTHER_TOKEN = 'rotated-token-0123456789abcdef';
const store = new FakeStore();
let cache: MemoryCache;
let running: RunningApp;

beforeAll(async () => {
  const metrics = createMetrics();
  const logger = createLogger('silent');
  cache = new MemoryCache();
  const lookup = new LookupService({
    store,
    cache,
    availability: unknownAvailability,
    clock: { now: () => NOW },
    policy: aPolicy(),
    deadlineMs: 300,
  });
  const app = buildApp({
    routes: lookupRoutes({ service: lookup, metrics, logger }),
    apiTokens: [TOKEN, OTHER_TOKEN],
    metrics,
    logger,
    readiness: [],
    openApi: { openapi: '3.0.3' },
  });
  running = await listen(app);
});
afterAll(() => running.close());
beforeEach(() => {
  store.records.clear();
  store.delayMs = 0;
  store.failWith = null;
  store.reads = 0;
  cache.entries.clear();
});

const post = (body: string, headers: Record<string, string> = {}) =>
  fetch(`${running.url}/v1/routing/lookup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
    body,
  });

describe('POST /v1/routing/lookup', () => {
  it('answers an unknown number with a complete flat fallback decision', async () => {
    const res = await post(JSON.stringify({ address: '+5511987654321', queueId: 'queue-support' }));
    expect(res.status).toBe(200);
    const body = LookupResponse.parse(await res.json());
    expect(body).toEqual(aDecision({ queueId: 'queue-fallback' }));
  });

  it('routes a known customer to their last agent, whatever form the number arrives in', async () => {
    const ownership = anOwnership({
      agentId: 'agent-ana',
      conversationId: 'conv-9',
      endedAt: NOW - 2 * HOUR,
    });
    store.put(
      aCustomer({
        key: aPhoneKey('5511987654321'),
        current: ownership,
        recent: [ownership],
        caseId: '500xx1',
        caseNumber: '00001026',
      }),
    );
    for (const address of ['whatsapp:+55 11 98765-4321', '5511987654321', 'tel:+5511987654321']) {
      const res = await post(
        JSON.stringify({ address, queueId: 'queue-support', isNewConversation: 'true' }),
      );
      expect(await res.json()).toMatchObject({
        found: true,
        action: 'agent',
        agentId: 'agent-ana',
        agentIds: ['agent-ana'],
        agentScores: [100],
        reason: 'availability_unknown',
        ageMinutes: 120,
        lastConversationId: 'conv-9',
        caseNumber: '00001026',
      });
    }
    // Every spelling is one customer: the first lookup reads the store, the others the cache.
    expect(store.reads).toBe(1);
  });

  it('answers the same through express routing as through the serve shortcut', async () => {
    const body = JSON.stringify({ address: '+5511987654321', queueId: 'queue-support' });
    const shortcut = await (await post(body)).json();
    const viaExpress = await fetch(`${running.url}/v1/routing/lookup?via=express`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
    });
    expect(viaExpress.status).toBe(200);
    expect(await viaExpress.json()).toEqual(shortcut);
    const unauthorized = await fetch(`${running.url}/v1/routing/lookup?via=express`, {
      method: 'POST',
      body,
    });
    expect(unauthorized.status).toBe(401);
  });

  it('answers an address that is not a number with 200 and reason invalid_address', async () => {
    const res = await post(JSON.stringify({ address: "' OR Name != '" }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      action: 'fallback',
      reason: 'invalid_address',
      found: false,
    });
    expect(store.reads).toBe(0);
  });

  it('answers crm_unavailable in time when the store is slower than the deadline', async () => {
    store.delayMs = 2000;
    const started = performance.now();
    // A number no other test uses: the slow read stays in flight after the answer.
    const res = await post(JSON.stringify({ address: '+5511900000001' }));
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'fallback', reason: 'crm_unavailable' });
    expect(elapsed).toBeLessThan(1500);
  });

  it('answers crm_unavailable when the store fails', async () => {
    store.failWith = new Error('INVALID_SESSION_ID');
    const res = await post(JSON.stringify({ address: '+5511900000002' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'fallback', reason: 'crm_unavailable' });
  });

  it.each([
    ['{"address": "+55', 400, 'CB_ERR_MALFORMED_JSON'],
    ['{}', 400, 'CB_ERR_VALIDATION'],
    ['[]', 400, 'CB_ERR_VALIDATION'],
    ['"+5511987654321"', 400, 'CB_ERR_VALIDATION'],
    ['{"address": 5511987654321}', 400, 'CB_ERR_VALIDATION'],
    ['{"address": "+5511987654321", "isNewConversation": "maybe"}', 400, 'CB_ERR_VALIDATION'],
    ['{"address": "+5511987654321", "queueId": {"$ne": ""}}', 400, 'CB_ERR_VALIDATION'],
    ['{"address": "+5511987654321", "surprise": 1}', 400, 'CB_ERR_VALIDATION'],
  ])('rejects %s with %i %s', async (body, status, code) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status, code });
  });

  it('names the failing field', async () => {
    const res = await post('{"address": 42, "surprise": true}');
    const problem = await res.json();
    expect(problem.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'address',
      'surprise',
    ]);
    expect(problem.detail).toContain('address');
  });

  it('rejects a 1 MB body with 413 without reading it all into the decision', async () => {
    const res = await post(
      JSON.stringify({ address: '+5511987654321', queueId: 'x'.repeat(1024 * 1024) }),
    );
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ code: 'CB_ERR_PAYLOAD_TOO_LARGE' });
  });

  it('rejects a body that is not JSON with 415', async () => {
    const res = await post('address=+5511987654321', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(415);
  });
});

describe('GET /v1/routing/lookup', () => {
  it('answers the same decision from query parameters', async () => {
    const res = await fetch(
      `${running.url}/v1/routing/lookup?address=%2B5511987654321&queueId=queue-support&isNewConversation=false`,
      {
        headers: { 'x-api-key': TOKEN },
      },
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'fallback', reason: 'no_history' });
  });

  it('rejects a repeated parameter and a missing address', async () => {
    const auth = { 'x-api-key': TOKEN };
    expect(
      (await fetch(`${running.url}/v1/routing/lookup?address=1&address=2`, { headers: auth }))
        .status,
    ).toBe(400);
    expect((await fetch(`${running.url}/v1/routing/lookup`, { headers: auth })).status).toBe(400);
  });
});

describe('authentication', () => {
  const body = JSON.stringify({ address: '+5511987654321' });
  it.each([
    ['no credentials', {}],
    ['a wrong bearer token', { authorization: 'Bearer nope-nope-nope-nope' }],
    ['a wrong API key', { 'x-api-key': `${TOKEN}x` }],
    ['a prefix of the token', { 'x-api-key': TOKEN.slice(0, -1) }],
    ['the token followed by 300 more bytes', { 'x-api-key': TOKEN + 'x'.repeat(300) }],
    ['Basic auth', { authorization: `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}` }],
  ])('refuses %s with 401', async (_name, headers) => {
    const res = await fetch(`${running.url}/v1/routing/lookup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'CB_ERR_UNAUTHORIZED' });
  });

  it('accepts every configured token (rotation) as bearer or X-Api-Key', async () => {
    const variants: Array<Record<string, string>> = [
      { authorization: `Bearer ${OTHER_TOKEN}` },
      { 'x-api-key': OTHER_TOKEN },
      { authorization: `bearer ${TOKEN}` },
    ];
    for (const headers of variants) {
      const res = await fetch(`${running.url}/v1/routing/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      expect(res.status).toBe(200);
    }
  });

  it('keeps health open, metrics behind the token, and echoes a request id', async () => {
    const res = await fetch(`${running.url}/healthz`, { headers: { 'x-request-id': 'trace-123' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('trace-123');
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    const metrics = await (
      await fetch(`${running.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
    ).text();
    expect(metrics).toContain('continuity_decisions_total');
    expect(
      (await fetch(`${running.url}/v1/nothing`, { headers: { 'x-api-key': TOKEN } })).status,
    ).toBe(404);
  });
});
