import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import {
  CASE_ID,
  CONTACT_ID,
  DATA_PATH,
  fakeRecorder,
  INSTANCE_URL,
  JSON_HEADERS,
  jwtConfig,
  mockToken,
  silentLogger,
} from '../../../test/support/salesforce-nock.ts';
import { contactRecord, historyRecord } from '../../../test/support/salesforce-rows.ts';
import {
  mockCompositeRead,
  type CapturedComposite,
  type ReadRows,
} from '../../../test/support/salesforce-composite.ts';
import type { CustomerKey } from '../../domain/customer-key.ts';
import { createSalesforceStore } from './index.ts';
import type { UnknownCustomerMode } from './commit-plan.salesforce.ts';

const KEY = aPhoneKey('5511987654321');

function store(unknownCustomer: UnknownCustomerMode = 'history_only') {
  const recorder = fakeRecorder();
  return {
    recorder,
    store: createSalesforceStore({
      config: jwtConfig(),
      unknownCustomer,
      recorder,
      logger: silentLogger,
    }),
  };
}

/**
 * Intercepts the lookup's one Composite call: `contacts` rows answer the
 * Contact query, `orphans` rows the Contact-less history query; the decoded
 * SOQL of each is pushed to `seen` (Contact first).
 */
function mockFind(rows: ReadRows, seen: string[]) {
  const captured: CapturedComposite[] = [];
  const scope = mockCompositeRead(rows, captured);
  return {
    isDone: () => {
      for (const c of captured.splice(0))
        seen.push(c.soql.contacts_0 ?? '', c.soql.orphans_0 ?? '');
      return scope.isDone();
    },
  };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('SalesforceOwnershipStore.findCustomer', () => {
  it('reads a known Contact, its open Case and recent history in exactly one Composite call', async () => {
    const older = anOwnership({ endedAt: NOW - 30 * HOUR });
    const newest = anOwnership({ endedAt: NOW - HOUR, transferCount: 2, source: 'sweep' });
    const seen: string[] = [];
    const token = mockToken();
    const api = mockFind(
      {
        contacts: [
          contactRecord({
            vip: true,
            last: newest,
            openCase: { id: CASE_ID, number: '00001026' },
            history: [newest, older],
          }),
        ],
      },
      seen,
    );
    const { store: s, recorder } = store();

    const record = await s.findCustomer(KEY);

    expect(token.isDone() && api.isDone()).toBe(true);
    expect(seen[0]).toMatch(
      /FROM Contact WHERE WhatsApp_Number__c IN \('5511987654321', '551187654321'\) ORDER BY CreatedDate ASC, Id ASC LIMIT 1$/,
    );
    expect(record).toEqual({
      key: KEY,
      contactId: CONTACT_ID,
      caseId: CASE_ID,
      caseNumber: '00001026',
      caseOpen: true,
      vip: true,
      current: newest,
      recent: [newest, older],
    });
    expect(recorder.calls).toEqual([
      ['salesforce', 'oauth_token', 'ok'],
      ['salesforce', 'find_customer', 'ok'],
    ]);
    expect(recorder.budgets).toEqual([['salesforce', 89982, 100000]]);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('reads `null` subqueries as empty and falls back to the Contact Last_* fields', async () => {
    const last = anOwnership({ endedAt: NOW - HOUR });
    const token = mockToken();
    const api = mockFind({ contacts: [contactRecord({ last })] }, []);
    const record = await store().store.findCustomer(KEY);
    expect(record?.current).toMatchObject({
      conversationId: last.conversationId,
      agentId: last.agentId,
      queueId: last.queueId,
      endedAt: last.endedAt,
    });
    expect(record?.recent).toHaveLength(1);
    expect(record).toMatchObject({ caseId: '', caseNumber: '', vip: false });
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('returns a Contact with no ownership yet as a record without current', async () => {
    const token = mockToken();
    const api = mockFind({ contacts: [contactRecord()] }, []);
    await expect(store().store.findCustomer(KEY)).resolves.toMatchObject({
      contactId: CONTACT_ID,
      current: null,
      recent: [],
    });
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('without a Contact (history_only) reads history rows by number in the same call', async () => {
    const row = anOwnership({ endedAt: NOW - HOUR, caseId: CASE_ID });
    const seen: string[] = [];
    const token = mockToken();
    const api = mockFind({ orphans: [historyRecord(row, { number: KEY.value })] }, seen);
    const { store: s, recorder } = store('history_only');

    const record = await s.findCustomer(KEY);

    expect(token.isDone() && api.isDone()).toBe(true);
    expect(seen[1]).toMatch(
      /FROM Conversation_Ownership__c WHERE Contact__c = null AND WhatsApp_Number__c IN \('5511987654321', '551187654321'\) ORDER BY/,
    );
    expect(record).toEqual({
      key: KEY,
      contactId: '',
      caseId: CASE_ID,
      caseNumber: '',
      caseOpen: false,
      vip: false,
      current: row,
      recent: [row],
    });
    expect(recorder.calls.map(([, op]) => op)).toEqual(['oauth_token', 'find_customer']);
  });

  it('Salesforce, Contact created later: Contact-less rows of the key still count, so an older late conversation never wins', async () => {
    // The customer was served as Contact-less (history_only); then an admin
    // created the Contact, which holds no Last_* yet.
    const earlier = anOwnership({ agentId: 'agent-bob', endedAt: NOW - 2 * HOUR });
    const seen: string[] = [];
    const token = mockToken();
    const api = mockFind(
      {
        contacts: [contactRecord()],
        orphans: [historyRecord(earlier, { number: KEY.value })],
      },
      seen,
    );
    const record = await store().store.findCustomer(KEY);
    expect(token.isDone() && api.isDone()).toBe(true);
    expect(record).toMatchObject({ contactId: CONTACT_ID, current: { agentId: 'agent-bob' } });
  });

  it('returns null for an unknown customer, in one call', async () => {
    const token = mockToken();
    const api = mockFind({}, []);
    await expect(store('create_contact').store.findCustomer(KEY)).resolves.toBeNull();
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it("escapes SOQL injection (' OR Name != ') in the query it sends", async () => {
    const seen: string[] = [];
    const token = mockToken();
    const api = mockFind({}, seen);
    const evil: CustomerKey = { kind: 'phone', value: "' OR Name != '" };
    await store('create_contact').store.findCustomer(evil);
    expect(token.isDone() && api.isDone()).toBe(true);
    expect(seen[0]).toMatch(/WHERE WhatsApp_Number__c = '\\' OR Name != \\'' ORDER BY/);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('matches a BSUID key against WhatsApp_User_Id__c', async () => {
    const seen: string[] = [];
    const token = mockToken();
    const api = mockFind(
      { contacts: [contactRecord({ number: null, bsuid: 'BR.1502576394655843' })] },
      seen,
    );
    const key: CustomerKey = { kind: 'bsuid', value: 'BR.1502576394655843' };
    await expect(store().store.findCustomer(key)).resolves.toMatchObject({
      key,
      contactId: CONTACT_ID,
    });
    expect(token.isDone() && api.isDone()).toBe(true);
    expect(seen[0]).toContain("WHERE WhatsApp_User_Id__c = 'BR.1502576394655843' ORDER BY");
  });

  it("names the Contact's other key: a user id lookup learns the number (one customer, locked and cached under both)", async () => {
    const seen: string[] = [];
    mockToken();
    // Salesforce may hold the number without Brazil's ninth digit: the alias is canonical.
    mockFind(
      { contacts: [contactRecord({ number: '551187654321', bsuid: 'BR.1502576394655843' })] },
      seen,
    );
    const key: CustomerKey = { kind: 'bsuid', value: 'BR.1502576394655843' };
    const record = await store().store.findCustomer(key);
    expect(record?.key).toEqual(key);
    expect(record?.aliases).toEqual([KEY]);
  });

  it('fails fast on a 503 (no 15 s in-process GET retry) and counts the error', async () => {
    const token = mockToken();
    const api = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
    const { store: s, recorder } = store();
    const started = Date.now();
    await expect(s.findCustomer(KEY)).rejects.toMatchObject({ errorCode: 'ERROR_HTTP_503' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(recorder.calls.at(-1)).toEqual(['salesforce', 'find_customer', 'error']);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('rejects a response that does not have the documented shape', async () => {
    const token = mockToken();
    const api = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .reply(
        200,
        {
          compositeResponse: [
            { referenceId: 'contacts_0', httpStatusCode: 200, body: { records: [{ Id: 1 }] } },
            { referenceId: 'orphans_0', httpStatusCode: 200, body: { records: [] } },
          ],
        },
        JSON_HEADERS,
      );
    await expect(store().store.findCustomer(KEY)).rejects.toMatchObject({
      code: 'CB_ERR_INTERNAL',
    });
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('ping reads the daily allocation from /limits', async () => {
    const token = mockToken();
    const api = nock(INSTANCE_URL)
      .get(`${DATA_PATH}/limits`)
      .reply(200, { DailyApiRequests: { Max: 15000, Remaining: 14000 } }, JSON_HEADERS);
    const { store: s, recorder } = store();
    await s.ping();
    expect(recorder.budgets).toEqual([['salesforce', 14000, 15000]]);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('guard: a request nock does not know fails instead of reaching the network', async () => {
    const token = mockToken();
    const error: unknown = await store()
      .store.findCustomer(KEY)
      .catch((e: unknown) => e);
    expect((error as Error).cause).toMatchObject({ name: 'NetConnectNotAllowedError' });
    expect(token.isDone()).toBe(true);
  });
});
