import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bridge } from '../../src/main.ts';
import { acwBody, envelope, postJson, startBridge, testEnv } from '../support/bridge.ts';
import { listen, type RunningApp } from '../support/http.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  seedPhone,
  startSalesforceEmulator,
  type SalesforceEmulator,
} from '../emulators/salesforce/emulator.ts';

/*
 * A privacy request through the assembled bridge with Salesforce as the store:
 * the composition must hand the privacy service Salesforce's own personal-data
 * store, so an export shows the Contact's bridge fields and the history rows,
 * and an erasure hard-deletes the rows and clears the fields while the Contact
 * itself stays (it belongs to the CRM's own erasure process).
 */
const ADMIN_TOKEN = 'admin-token-0123456789abcdef';
const QUEUE = 'queue-support';
const customer = seedPhone(1);
const other = seedPhone(2);

let redis: TestRedis;
let emulator: SalesforceEmulator;
let bridge: Bridge;
let running: RunningApp;

const privacy = (body: unknown) =>
  postJson(`${running.url}/v1/privacy/requests`, body, ADMIN_TOKEN);
const lookup = async (digits: string) =>
  (
    await postJson(`${running.url}/v1/routing/lookup`, { address: `+${digits}`, queueId: QUEUE })
  ).json();
const historyOf = (digits: string) =>
  [...emulator.tables.get('Conversation_Ownership__c')!.values()].filter(
    (row) => row.WhatsApp_Number__c === digits,
  );
const contactOf = (digits: string) =>
  [...emulator.tables.get('Contact')!.values()].find((row) => row.WhatsApp_Number__c === digits);

beforeAll(async () => {
  redis = await startRedis();
  emulator = await startSalesforceEmulator({
    seed: { contacts: 5 },
    clientId: 'cb-client',
    clientSecret: 'cb-secret',
  });
  bridge = await startBridge(
    testEnv(redis.url, {
      SF_LOGIN_URL: emulator.url,
      SF_CLIENT_ID: 'cb-client',
      SF_CLIENT_SECRET: 'cb-secret',
      LOOKUP_DEADLINE_MS: '3000',
      ADMIN_API_TOKENS: ADMIN_TOKEN,
      PRIVACY_HASH_SECRET: 'privacy-secret-0123456789abcdef0123456789',
    }),
  );
  running = await listen(bridge.app);
  for (const [digits, conversationId] of [
    [customer, 'sf-privacy-1'],
    [other, 'sf-privacy-2'],
  ] as const) {
    const response = await postJson(
      `${running.url}/v1/events`,
      envelope(
        acwBody({
          conversationId,
          ani: `+${digits}`,
          addressFrom: `+${digits}`,
          userId: 'agent-ana',
          wrapupNotes: 'Promised a refund by Friday',
        }),
      ),
    );
    expect(response.status).toBe(202);
  }
  const deadline = Date.now() + 15_000;
  while (historyOf(customer).length + historyOf(other).length < 2 && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 100));
}, 60_000);
afterAll(async () => {
  await running?.close();
  await bridge?.close();
  await emulator?.close();
  await redis?.stop();
});

describe('privacy requests with Salesforce as the store', () => {
  it('exports the Contact fields and history rows Salesforce holds, found by any spelling', async () => {
    const response = await privacy({
      requestType: 'GDPR_EXPORT',
      subject: { phoneNumbers: [`+${customer.slice(0, 1)} ${customer.slice(1)}`] },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { stores: Array<{ store: string; items: object }> };
    const salesforce = body.stores.find((s) => s.store === 'salesforce');
    expect(JSON.stringify(salesforce)).toContain('sf-privacy-1');
    expect(JSON.stringify(salesforce)).toContain('Promised a refund by Friday');
    expect(JSON.stringify(salesforce)).not.toContain('sf-privacy-2');
  });

  it('erases: history rows hard-deleted, bridge fields cleared, the Contact kept, the other customer intact', async () => {
    expect(contactOf(customer)?.Last_Agent_Id__c).toBe('agent-ana');
    const response = await privacy({
      requestType: 'GDPR_DELETE',
      subject: { phoneNumbers: [`+${customer}`] },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { stores: Record<string, Record<string, number>> };
    expect(Object.values(body.stores.salesforce ?? {}).reduce((a, b) => a + b, 0)).toBeGreaterThan(
      0,
    );

    expect(historyOf(customer)).toEqual([]);
    expect([...emulator.recycleBin.values()].map((r) => r.record.Conversation_Id__c)).not.toContain(
      'sf-privacy-1',
    );
    const contact = contactOf(customer);
    expect(contact).toBeDefined();
    expect(contact?.Last_Agent_Id__c ?? null).toBeNull();
    expect(contact?.Last_Notes__c ?? null).toBeNull();
    expect(historyOf(other)).toHaveLength(1);
    expect(contactOf(other)?.Last_Agent_Id__c).toBe('agent-ana');

    expect(await lookup(customer)).toMatchObject({ found: false });
    expect(await lookup(other)).toMatchObject({ found: true, agentId: 'agent-ana' });
  });
});
