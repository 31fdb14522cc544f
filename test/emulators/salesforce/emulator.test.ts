import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, seedPhone, type SalesforceEmulator } from './emulator.ts';
import { storeOnEmulator } from './emulator-store.ts';
import { createSalesforceStore } from '../../../src/adapters/salesforce/index.ts';
import type { OwnershipStore } from '../../../src/ports/ownership-store.port.ts';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../factories/ownership.factory.ts';
import { fakeRecorder, silentLogger, type RecordedCalls } from '../../support/salesforce-nock.ts';

// The emulator must answer the adapter's real requests — token, Composite
// reads and writes of sObject Collections, the lookup query — in Salesforce's
// shapes, or the reconcile benchmark measures nothing. Seeded Contact 0 has an
// open Case and a closed one; Contact 1 has neither.
let emulator: SalesforceEmulator;
let store: OwnershipStore;
let recorder: RecordedCalls;

beforeEach(async () => {
  emulator = await startSalesforceEmulator({
    seed: { contacts: 2, openCaseEvery: 2, closedCaseEvery: 2 },
    clientId: 'bench-client',
    clientSecret: 'bench-secret',
  });
  recorder = fakeRecorder();
  store = storeOnEmulator(
    emulator,
    { clientId: 'bench-client', clientSecret: 'bench-secret' },
    recorder,
  );
});

afterEach(async () => {
  await store.close();
  await emulator.close();
});

const rows = (object: string) => [...emulator.tables.get(object)!.values()];

describe('Salesforce emulator driven by the real adapter', () => {
  it('commits two changes in two API calls and findCustomer reads them back in one', async () => {
    const key = aPhoneKey(seedPhone(0));
    const older = anOwnership({
      conversationId: 'conv-older',
      endedAt: NOW - 2 * HOUR,
      agentId: 'agent-ana',
    });
    const newer = anOwnership({
      conversationId: 'conv-newer',
      endedAt: NOW - HOUR,
      agentId: 'agent-bo',
      transferCount: 1,
    });

    const results = await store.commit([
      { key, ownership: newer },
      { key, ownership: older },
    ]);

    expect(results.map((r) => r.status)).toEqual(['applied', 'superseded']);
    expect(emulator.calls).toBe(2);
    expect(emulator.callsByKind).toEqual({ composite_read: 1, composite_write: 1 });
    const contact = rows('Contact').find((c) => c.WhatsApp_Number__c === seedPhone(0))!;
    expect(contact).toMatchObject({
      Last_Conversation_Id__c: 'conv-newer',
      Last_Agent_Id__c: 'agent-bo',
    });
    const openCase = rows('Case').find((c) => c.ContactId === contact.Id && c.IsClosed === false)!;
    expect(openCase.Last_Conversation_Id__c).toBe('conv-newer');
    expect(rows('Case').find((c) => c.IsClosed === true)!.Last_Conversation_Id__c).toBeNull();
    expect(
      rows('Conversation_Ownership__c').map((h) => [h.Conversation_Id__c, h.Contact__c, h.Case__c]),
    ).toEqual([
      ['conv-newer', contact.Id, openCase.Id],
      ['conv-older', contact.Id, openCase.Id],
    ]);

    const found = await store.findCustomer(key);

    expect(emulator.calls).toBe(3);
    expect(found).toMatchObject({
      contactId: contact.Id,
      caseId: openCase.Id,
      caseNumber: openCase.CaseNumber,
    });
    expect(found?.current).toMatchObject({
      conversationId: 'conv-newer',
      agentId: 'agent-bo',
      endedAt: NOW - HOUR,
      transferCount: 1,
    });
    expect(found?.recent.map((o) => o.conversationId)).toEqual(['conv-newer', 'conv-older']);
    expect(recorder.budgets.at(-1)).toEqual(['salesforce', 100_000 - 3, 100_000]);
  });

  it('keeps ownership moving forward across batches and replays', async () => {
    const key = aPhoneKey(seedPhone(1));
    const newer = anOwnership({ conversationId: 'conv-b', endedAt: NOW - HOUR });
    await store.commit([{ key, ownership: newer }]);
    const [stale] = await store.commit([
      { key, ownership: anOwnership({ conversationId: 'conv-a', endedAt: NOW - 3 * HOUR }) },
    ]);
    const [replay] = await store.commit([{ key, ownership: newer }]);

    expect([stale?.status, replay?.status]).toEqual(['superseded', 'applied']);
    expect(
      rows('Contact').find((c) => c.WhatsApp_Number__c === seedPhone(1))!.Last_Conversation_Id__c,
    ).toBe('conv-b');
    expect(rows('Conversation_Ownership__c')).toHaveLength(2);
    expect((await store.findCustomer(key))?.current?.conversationId).toBe('conv-b');
  });

  it('keeps history rows of a customer without a Contact and finds them (history_only)', async () => {
    const key = aPhoneKey('5511987654321');
    const [result] = await store.commit([
      { key, ownership: anOwnership({ conversationId: 'conv-orphan' }) },
    ]);

    expect(result?.status).toBe('applied');
    expect(rows('Conversation_Ownership__c')[0]).toMatchObject({
      Contact__c: null,
      WhatsApp_Number__c: '5511987654321',
    });
    expect((await store.findCustomer(key))?.current?.conversationId).toBe('conv-orphan');
    expect(await store.findCustomer(aPhoneKey('5511900000000'))).toBeNull();
  });

  it('pages query results and the adapter follows nextRecordsUrl', async () => {
    const paged = await startSalesforceEmulator({ seed: { contacts: 3 }, pageSize: 2 });
    const pagedStore = createSalesforceStore({
      config: {
        kind: 'salesforce',
        loginUrl: paged.url,
        apiVersion: '68.0',
        vipField: 'Continuity_VIP__c',
        auth: { flow: 'client_credentials', clientId: 'any', clientSecret: 'any' },
      },
      unknownCustomer: 'history_only',
      recorder: fakeRecorder(),
      logger: silentLogger,
    });
    const changes = [0, 1, 2].map((i) => ({
      key: aPhoneKey(seedPhone(i)),
      ownership: anOwnership({ conversationId: `conv-page-${i}` }),
    }));

    const results = await pagedStore.commit(changes);

    expect(results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
    expect(paged.callsByKind).toEqual({ composite_read: 1, query_more: 1, composite_write: 1 });
    const lasts = [...paged.tables.get('Contact')!.values()].map((c) => c.Last_Conversation_Id__c);
    expect(lasts).toEqual(['conv-page-0', 'conv-page-1', 'conv-page-2']);
    await pagedStore.close();
    await paged.close();
  });

  it('refreshes a revoked session and replays the call', async () => {
    await store.commit([{ key: aPhoneKey(seedPhone(0)), ownership: anOwnership() }]);
    emulator.revokeSessions();

    expect((await store.findCustomer(aPhoneKey(seedPhone(0))))?.contactId).toMatch(/^003/);
    expect(recorder.calls.filter(([, operation]) => operation === 'oauth_token')).toHaveLength(2);
  });

  it('answers SOQL it does not know, unknown fields and bad records the way Salesforce does', async () => {
    const tokenResponse = await fetch(`${emulator.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=bench-client&client_secret=bench-secret',
    });
    const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${emulator.url}/services/data/v68.0${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    const q = async (soql: string) => {
      const response = await api(`/query?q=${encodeURIComponent(soql)}`);
      return [
        response.status,
        ((await response.json()) as Array<{ errorCode: string }>)[0]?.errorCode,
      ];
    };

    expect(await q("SELECT Id FROM Contact WHERE LastName LIKE 'C%'")).toEqual([
      400,
      'MALFORMED_QUERY',
    ]);
    expect(await q("SELECT Id FROM Contact WHERE LastName = 'a' OR LastName = 'b'")).toEqual([
      400,
      'MALFORMED_QUERY',
    ]);
    expect(await q('SELECT Phone__c FROM Contact')).toEqual([400, 'INVALID_FIELD']);
    expect(await q('SELECT Id, (SELECT Id FROM Ownerships__r) FROM Contact')).toEqual([
      400,
      'INVALID_TYPE',
    ]);
    const ok = await api(
      `/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE WhatsApp_Number__c = '${seedPhone(1)}'`)}`,
    );
    expect(ok.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/100000$/);
    expect(await ok.json()).toMatchObject({
      totalSize: 1,
      done: true,
      records: [{ attributes: { type: 'Contact' } }],
    });

    const upsert = await api('/composite/sobjects/Conversation_Ownership__c/Conversation_Id__c', {
      method: 'PATCH',
      body: JSON.stringify({
        allOrNone: false,
        records: [
          {
            attributes: { type: 'Conversation_Ownership__c' },
            Conversation_Id__c: 'c-1',
            Source__c: 'email',
          },
          {
            attributes: { type: 'Conversation_Ownership__c' },
            Conversation_Id__c: 'c-2',
            Agent_Id__c: 'x'.repeat(37),
          },
          { attributes: { type: 'Conversation_Ownership__c' }, Conversation_Id__c: 'c-3' },
        ],
      }),
    });
    const results = (await upsert.json()) as Array<{
      success: boolean;
      created?: boolean;
      errors: Array<{ statusCode: string }>;
    }>;
    expect(results.map((r) => r.errors[0]?.statusCode ?? r.created)).toEqual([
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'STRING_TOO_LONG',
      true,
    ]);
  });

  it('reads again in smaller batches when Contact-less history hits the row limit', async () => {
    const busy = aPhoneKey('5511900001111');
    const quiet = aPhoneKey('5511900002222');
    const DAY = 24 * HOUR;
    await store.commit([
      {
        key: quiet,
        ownership: anOwnership({ conversationId: 'quiet-stored', endedAt: NOW - 10 * DAY }),
      },
    ]);
    // 2,100 newer rows for another Contact-less customer push the quiet one's row
    // past the 2,000-row limit of a batch read.
    for (let start = 0; start < 2100; start += 200) {
      await store.commit(
        Array.from({ length: 200 }, (_, i) => ({
          key: busy,
          ownership: anOwnership({
            conversationId: `busy-${start + i}`,
            endedAt: NOW - HOUR - (start + i) * 1000,
          }),
        })),
      );
    }
    const [busyResult, quietResult] = await store.commit([
      { key: busy, ownership: anOwnership({ conversationId: 'busy-new', endedAt: NOW }) },
      {
        key: quiet,
        ownership: anOwnership({ conversationId: 'quiet-stale', endedAt: NOW - 20 * DAY }),
      },
    ]);
    expect(busyResult?.status).toBe('applied');
    expect(quietResult?.status).toBe('superseded');
    expect(quietResult?.status !== 'failed' && quietResult?.record.current?.conversationId).toBe(
      'quiet-stored',
    );
  }, 180_000);
});
