import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { anOwnership } from '../factories/ownership.factory.ts';
import { postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  clientCredentialsTokenResponse,
  DATA_PATH,
  INSTANCE_URL,
  JSON_HEADERS,
  LIMIT_EXCEEDED,
  LIMIT_HEADERS,
  MY_DOMAIN,
  TOKEN_PATH,
} from '../support/salesforce-nock.ts';
import { contactRecord } from '../support/salesforce-rows.ts';
import { mockCompositeRead, type CapturedComposite } from '../support/salesforce-composite.ts';

/**
 * The routing lookup end to end on the Salesforce store: real jsforce against
 * nock (documented shapes), a private Redis, the deadline of the bridge.
 */
let redis: TestRedis;
let bridge: Bridge;
let running: RunningApp;

beforeAll(async () => {
  redis = await startRedis();
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  bridge = await startBridge(
    testEnv(redis.url, {
      SF_LOGIN_URL: MY_DOMAIN,
      SF_CLIENT_ID: 'consumer-key',
      SF_CLIENT_SECRET: 'consumer-secret',
      LOOKUP_DEADLINE_MS: '1500', // the first lookup also logs in; a loaded CI machine needs the room
    }),
    {},
    { web: true, worker: false },
  );
  running = await listen(bridge.app);
  nock(MY_DOMAIN).post(TOKEN_PATH).reply(200, clientCredentialsTokenResponse(), JSON_HEADERS);
});
afterEach(() => {
  expect(nock.pendingMocks().filter((m) => !m.includes(TOKEN_PATH))).toEqual([]);
});
afterAll(async () => {
  nock.cleanAll();
  nock.enableNetConnect();
  await running?.close();
  await bridge?.close();
  await redis?.stop();
});

const lookup = (address: string) =>
  postJson(`${running.url}/v1/routing/lookup`, { address, queueId: 'queue-support' });

describe('lookup on the Salesforce store', () => {
  it('answers from one Composite call (Contact and Contact-less rows), escaped, then from the cache', async () => {
    const ownership = anOwnership({ agentId: 'agent-ana', endedAt: Date.now() - 3_600_000 });
    const captured: CapturedComposite[] = [];
    mockCompositeRead(
      {
        contacts: [
          contactRecord({ number: '5511987650301', last: ownership, history: [ownership] }),
        ],
      },
      captured,
    );
    const first = await lookup('whatsapp:+5511987650301');
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      found: true,
      action: 'agent',
      agentId: 'agent-ana',
      contactId: '003xx000004TmiQAAS',
    });
    const soql = captured[0]!.soql.contacts_0!;
    expect(soql).toContain("WhatsApp_Number__c IN ('5511987650301', '551187650301')");
    expect(soql).toMatch(/^SELECT .* FROM Contact WHERE/);
    // Warm: no further Salesforce call (nock would refuse it).
    expect(await (await lookup('+5511987650301')).json()).toMatchObject({ agentId: 'agent-ana' });
  });

  it('answers crm_unavailable within the deadline when Salesforce is slower', async () => {
    nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .delay(3000)
      .reply(200, { compositeResponse: [] }, LIMIT_HEADERS);
    const started = performance.now();
    const res = await lookup('+5511987650302');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ action: 'fallback', reason: 'crm_unavailable' });
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('answers crm_unavailable when the daily API limit is exhausted', async () => {
    nock(INSTANCE_URL).post(`${DATA_PATH}/composite`).reply(403, LIMIT_EXCEEDED, JSON_HEADERS);
    const res = await lookup('+5511987650303');
    expect(await res.json()).toMatchObject({ action: 'fallback', reason: 'crm_unavailable' });
  });
});
