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
  LIMIT_HEADERS,
  mockToken,
  silentLogger,
} from '../../../test/support/salesforce-nock.ts';
import { contactRecord, historyRecord, queryBody } from '../../../test/support/salesforce-rows.ts';
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

/** Intercepts `GET …/query?q=…` once, capturing the decoded SOQL. */
function mockQuery(
  body: unknown,
  seen: string[],
  status = 200,
  headers: Record<string, string> = LIMIT_HEADERS,
) {
  return nock(INSTANCE_URL)
    .get(`${DATA_PATH}/query`)
    .query((q) => (seen.push(String(q.q)), true))
    .reply(status, body, headers);
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('SalesforceOwnershipStore.findCustomer', () => {
  it('reads a known Contact, its open Case and recent history in exactly one query', async () => {
    const older = anOwnership({ endedAt: NOW - 30 * HOUR });
    const newest = anOwnership({ endedAt: NOW - HOUR, transferCount: 2, source: 'sweep' });
    const seen: string[] = [];
    const token = mockToken();
    const api = mockQuery(
      queryBody([
        contactRecord({
          vip: true,
          last: newest,
          openCase: { id: CASE_ID, number: '00001026' },
          history: [newest, older],
        }),
      ]),
      seen,
    );
    const { store: s, recorder } = store();

    const record = await s.findCustomer(KEY);

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/FROM Contact WHERE WhatsApp_Number__c = '5511987654321' LIMIT 1$/);
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
    const api = mockQuery(queryBody([contactRecord({ last })]), []);
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
    const api = mockQuery(queryBody([contactRecord()]), []);
    await expect(store().store.findCustomer(KEY)).resolves.toMatchObject({
      contactId: CONTACT_ID,
      current: null,
      recent: [],
    });
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('without a Contact (history_only) reads history rows by number in a second query', async () => {
    const row = anOwnership({ endedAt: NOW - HOUR, caseId: CASE_ID });
    const seen: string[] = [];
    const token = mockToken();
    const contacts = mockQuery(queryBody([]), seen);
    const history = mockQuery(queryBody([historyRecord(row, { number: KEY.value })]), seen);
    const { store: s, recorder } = store('history_only');

    const record = await s.findCustomer(KEY);

    expect(seen[1]).toMatch(
      /FROM Conversation_Ownership__c WHERE WhatsApp_Number__c = '5511987654321' ORDER BY/,
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
    expect(recorder.calls.map(([, op]) => op)).toEqual([
      'oauth_token',
      'find_customer',
      'find_history',
    ]);
    expect(token.isDone() && contacts.isDone() && history.isDone()).toBe(true);
  });

  it('returns null for an unknown customer: one query in create_contact mode, two in history_only', async () => {
    const token = mockToken();
    const api = mockQuery(queryBody([]), []);
    await expect(store('create_contact').store.findCustomer(KEY)).resolves.toBeNull();
    expect(token.isDone() && api.isDone()).toBe(true);

    const token2 = mockToken();
    const api2 = mockQuery(queryBody([]), []);
    const history = mockQuery(queryBody([]), []);
    await expect(store('history_only').store.findCustomer(KEY)).resolves.toBeNull();
    expect(token2.isDone() && api2.isDone() && history.isDone()).toBe(true);
  });

  it("escapes SOQL injection (' OR Name != ') in the query it sends", async () => {
    const seen: string[] = [];
    const token = mockToken();
    const api = mockQuery(queryBody([]), seen);
    const evil: CustomerKey = { kind: 'phone', value: "' OR Name != '" };
    await store('create_contact').store.findCustomer(evil);
    expect(seen[0]).toMatch(/WHERE WhatsApp_Number__c = '\\' OR Name != \\'' LIMIT 1$/);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('matches a BSUID key against WhatsApp_User_Id__c', async () => {
    const seen: string[] = [];
    const token = mockToken();
    const api = mockQuery(
      queryBody([contactRecord({ number: null, bsuid: 'BR.1502576394655843' })]),
      seen,
    );
    const key: CustomerKey = { kind: 'bsuid', value: 'BR.1502576394655843' };
    await expect(store().store.findCustomer(key)).resolves.toMatchObject({
      key,
      contactId: CONTACT_ID,
    });
    expect(seen[0]).toContain("WHERE WhatsApp_User_Id__c = 'BR.1502576394655843' LIMIT 1");
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('fails fast on a 503 (no 15 s in-process GET retry) and counts the error', async () => {
    const token = mockToken();
    const api = mockQuery('Service Unavailable', [], 503, { 'Content-Type': 'text/plain' });
    const { store: s, recorder } = store();
    const started = Date.now();
    await expect(s.findCustomer(KEY)).rejects.toMatchObject({ errorCode: 'ERROR_HTTP_503' });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(recorder.calls.at(-1)).toEqual(['salesforce', 'find_customer', 'error']);
    expect(token.isDone() && api.isDone()).toBe(true);
  });

  it('rejects a response that does not have the documented shape', async () => {
    const token = mockToken();
    const api = mockQuery({ records: [{ Id: 1 }] }, []);
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
