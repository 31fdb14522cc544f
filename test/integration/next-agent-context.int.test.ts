/**
 * The story reaches the next agent: a wrap-up with notes and an unresolved
 * code, posted as Genesys sends it, lands on the Salesforce Contact, Case and
 * history row (the REST emulator reading force-app) and comes back from the
 * next lookup as the flat fields the flow hands to Transfer to ACD and Set
 * Participant Data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import {
  seedPhone,
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../emulators/salesforce/emulator.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';

const QUEUE = '8cf75217-4d77-4973-8bf7-f2e4dea0c5ec';
const PENDING = 'c4460a70-3420-4d8e-a0a3-0218e1b51e6d';
const NOTES =
  'Refund approval pending; promised a callback Tuesday. Cliente ligou de +55 11 98765-4321.';

let redis: TestRedis;
let emulator: SalesforceEmulator;
let bridge: Bridge;
let running: RunningApp;

beforeAll(async () => {
  redis = await startRedis();
  // Contact 0 has an open Case (openCaseEvery: 1).
  emulator = await startSalesforceEmulator({
    seed: { contacts: 2, openCaseEvery: 1, closedCaseEvery: 0 },
    clientId: 'ctx-client',
    clientSecret: 'ctx-secret',
  });
  bridge = await startBridge(
    testEnv(redis.url, {
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: 'ctx-client',
      SF_CLIENT_SECRET: 'ctx-secret',
      UNRESOLVED_WRAPUP_CODES: PENDING,
      UNRESOLVED_PRIORITY: '15',
    }),
    {},
    { web: true, worker: true },
  );
  running = await listen(bridge.app);
});
afterAll(async () => {
  await running?.close();
  await bridge?.close();
  await emulator?.close();
  await redis?.stop();
});

const lookup = async (address: string) =>
  (await postJson(`${running.url}/v1/routing/lookup`, { address, queueId: QUEUE })).json();

describe('a wrap-up with notes and an unresolved code', () => {
  it('reaches the CRM record and the next lookup', async () => {
    const number = seedPhone(0);
    const body = acwBody({
      eventTime: Date.now() - 60_000,
      ani: `+${number}`,
      addressFrom: `+${number}`,
      wrapupCode: PENDING,
      wrapupNotes: NOTES,
    });
    const res = await postJson(`${running.url}/v1/events`, envelope(body));
    expect(res.status).toBe(202);

    await expect
      .poll(() => lookup(`+${number}`), { timeout: 15_000, interval: 100 })
      .toMatchObject({ found: true, lastConversationId: body.conversationId });
    const decision = await lookup(`+${number}`);
    expect(decision).toMatchObject({
      action: 'agent',
      agentId: body.userId,
      reason: 'owner_unresolved',
      unresolved: true,
      priority: 15,
      lastWrapupCode: PENDING,
      lastNotes: NOTES,
      context: '{}',
    });
    expect(decision.screenPopId).toMatch(/^500/);
    expect(decision.contextSummary).toMatch(
      /^Last handled by an agent (just now|1 minute ago) on WhatsApp, unresolved\. Notes: Refund approval pending/,
    );

    const contact = [...emulator.tables.get('Contact')!.values()].find(
      (c) => c.WhatsApp_Number__c === number,
    )!;
    expect(contact).toMatchObject({
      Last_Notes__c: NOTES,
      Last_Unresolved__c: true,
      Last_Channel__c: 'whatsapp',
      Last_Wrapup_Code__c: PENDING,
    });
    const [row] = [...emulator.tables.get('Conversation_Ownership__c')!.values()].filter(
      (r) => r.Conversation_Id__c === body.conversationId,
    );
    expect(row).toMatchObject({ Notes__c: NOTES, Unresolved__c: true, Channel__c: 'whatsapp' });
    const openCase = [...emulator.tables.get('Case')!.values()].find(
      (c) => c.Id === decision.screenPopId,
    )!;
    expect(openCase).toMatchObject({ Last_Notes__c: NOTES, Last_Unresolved__c: true });
  });
});
