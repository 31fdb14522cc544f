import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import {
  mockCompositeRead,
  mockCompositeWrite,
  salesforceStore,
  type CapturedComposite,
} from '../../../test/support/salesforce-composite.ts';
import {
  CASE_ID,
  compositeBody,
  DATA_PATH,
  fixture,
  INSTANCE_URL,
  INVALID_SESSION,
  JSON_HEADERS,
  jwtTokenResponse,
  LIMIT_EXCEEDED,
  mockToken,
} from '../../../test/support/salesforce-nock.ts';
import { contactRecord } from '../../../test/support/salesforce-rows.ts';

const ANA = aPhoneKey('5511987654321');
const BIA = aPhoneKey('5521912345678');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const twoChanges = () => [
  { key: ANA, ownership: anOwnership({ endedAt: NOW - HOUR }) },
  { key: BIA, ownership: anOwnership({ endedAt: NOW - 2 * HOUR }) },
];

describe('SalesforceOwnershipStore.commit failures', () => {
  it('fails only the change whose record Salesforce rejected, with its message (partial failure)', async () => {
    const token = mockToken();
    const read = mockCompositeRead({}, []);
    // collections-upsert-partial-failure.json: record 1 ok, record 2 MALFORMED_ID.
    const write = mockCompositeWrite([], {
      history: { body: fixture('collections-upsert-partial-failure.json') },
    });

    const results = await salesforceStore().store.commit(twoChanges());

    expect(results[0]).toMatchObject({ status: 'applied', record: { key: ANA } });
    expect(results[1]).toEqual({
      status: 'failed',
      code: 'CB_ERR_CRM_REJECTED',
      message: 'Contact ID: id value of incorrect type: 001xx0000004GxEAAU',
      retryable: false,
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('marks UNABLE_TO_LOCK_ROW on a record as retryable', async () => {
    const token = mockToken();
    const read = mockCompositeRead({ contacts: [contactRecord()] }, []);
    // Per-record error shape of collections-upsert-partial-failure.json; code from reference §2.5.
    const lock = [
      {
        success: false,
        errors: [
          {
            statusCode: 'UNABLE_TO_LOCK_ROW',
            message:
              'unable to obtain exclusive access to this record or 1 records: 003xx000004TmiQAAS',
            fields: [],
          },
        ],
      },
    ];
    const write = mockCompositeWrite([], { contacts: { body: lock } });

    const [result] = await salesforceStore().store.commit([{ key: ANA, ownership: anOwnership() }]);

    expect(result).toEqual({
      status: 'failed',
      code: 'CB_ERR_CRM_UNAVAILABLE',
      message: 'unable to obtain exclusive access to this record or 1 records: 003xx000004TmiQAAS',
      retryable: true,
      // A busy record: retried soon, and the CRM itself is not down.
      busy: true,
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('fails the change whose Case subrequest was rejected as a whole (400 error body)', async () => {
    const token = mockToken();
    const read = mockCompositeRead(
      { contacts: [contactRecord({ openCase: { id: CASE_ID, number: '1' } })] },
      [],
    );
    const write = mockCompositeWrite([], {
      cases: { httpStatusCode: 400, body: fixture('error-malformed-id.json') },
    });

    const [result] = await salesforceStore().store.commit([{ key: ANA, ownership: anOwnership() }]);

    expect(result).toMatchObject({
      status: 'failed',
      code: 'CB_ERR_CRM_REJECTED',
      retryable: false,
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('fails the whole batch retryably on 403 REQUEST_LIMIT_EXCEEDED, without writing', async () => {
    const token = mockToken();
    const read = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .reply(403, LIMIT_EXCEEDED, JSON_HEADERS);
    const { store, recorder } = salesforceStore();

    const results = await store.commit(twoChanges());

    const expected = {
      status: 'failed',
      code: 'CB_ERR_CRM_LIMIT',
      message: 'TotalRequests Limit exceeded.',
      retryable: true,
      // No call gets through for anyone: the worker holds the queue.
      unavailable: true,
    };
    expect(results).toEqual([expected, expected]);
    expect(recorder.calls.at(-1)).toEqual(['salesforce', 'composite_read', 'error']);
    expect(token.isDone() && read.isDone()).toBe(true);
  });

  it('fails the whole batch retryably on a 503 from the composite write (sent once, never retried)', async () => {
    const token = mockToken();
    const read = mockCompositeRead({}, []);
    const write = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .once()
      .reply(503, 'Service Unavailable');

    const results = await salesforceStore().store.commit(twoChanges());

    for (const result of results) {
      expect(result).toMatchObject({
        status: 'failed',
        code: 'CB_ERR_CRM_UNAVAILABLE',
        retryable: true,
      });
    }
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('fails the whole batch permanently when a read query is rejected (INVALID_FIELD)', async () => {
    const token = mockToken();
    // Subrequest error body shape of composite-response.json; INVALID_FIELD from reference §2.5.
    const invalid = [
      {
        errorCode: 'INVALID_FIELD',
        message: "No such column 'Continuity_VIP__c' on entity 'Contact'.",
      },
    ];
    const read = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .reply(
        200,
        compositeBody([
          { referenceId: 'contacts_0', httpStatusCode: 400, body: invalid },
          { referenceId: 'orphans_1', body: { totalSize: 0, done: true, records: [] } },
          { referenceId: 'history_2', body: { totalSize: 0, done: true, records: [] } },
        ]),
        JSON_HEADERS,
      );

    const results = await salesforceStore().store.commit(twoChanges());

    expect(results[0]).toEqual({
      status: 'failed',
      code: 'CB_ERR_CRM_REJECTED',
      message: "No such column 'Continuity_VIP__c' on entity 'Contact'.",
      retryable: false,
    });
    expect(token.isDone() && read.isDone()).toBe(true);
  });

  it('fails a change whose conversation id cannot be a SOQL literal alone, not its batch', async () => {
    const token = mockToken();
    const captured: CapturedComposite[] = [];
    const read = mockCompositeRead({}, captured);
    const write = mockCompositeWrite([]);
    const bad = { key: BIA, ownership: anOwnership({ conversationId: 'conv\n1' }) };

    const results = await salesforceStore().store.commit([bad, ...twoChanges()]);

    expect(results[0]).toMatchObject({
      status: 'failed',
      code: 'CB_ERR_VALIDATION',
      retryable: false,
    });
    expect(results.slice(1).map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(captured[0]!.soql.history_2).not.toContain('conv\n1');
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('refreshes the session on 401 and replays the composite write', async () => {
    const writes: CapturedComposite[] = [];
    const token = mockToken(jwtTokenResponse('token-1'));
    const read = mockCompositeRead({}, []);
    const expired = nock(INSTANCE_URL)
      .post(`${DATA_PATH}/composite`)
      .matchHeader('authorization', 'Bearer token-1')
      .reply(401, INVALID_SESSION, JSON_HEADERS);
    const refresh = mockToken(jwtTokenResponse('token-2'));
    const write = mockCompositeWrite(writes);

    const results = await salesforceStore().store.commit(twoChanges());

    expect(results.map((r) => r.status)).toEqual(['applied', 'applied']);
    expect(writes).toHaveLength(1);
    expect([token, read, expired, refresh, write].every((s) => s.isDone())).toBe(true);
  });
});
