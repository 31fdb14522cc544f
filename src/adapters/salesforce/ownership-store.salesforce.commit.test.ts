import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { anOwnership, aPhoneKey, HOUR, NOW } from '../../../test/factories/ownership.factory.ts';
import {
  mockCompositeRead,
  mockCompositeWrite,
  recordsOf,
  salesforceStore,
  type CapturedComposite,
} from '../../../test/support/salesforce-composite.ts';
import {
  CASE_ID,
  CONTACT_ID,
  DATA_PATH,
  fixture,
  mockToken,
} from '../../../test/support/salesforce-nock.ts';
import { contactRecord, historyRecord, sfDateTime } from '../../../test/support/salesforce-rows.ts';
import type { CommitResult } from '../../ports/ownership-store.port.ts';

const ANA = aPhoneKey('5511987654321');
const BIA = aPhoneKey('5521912345678');

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const statuses = (results: CommitResult[]) => results.map((r) => r.status);

describe('SalesforceOwnershipStore.commit', () => {
  it('reads in one composite call and writes in one: history, Contact and Case', async () => {
    const stored = anOwnership({ endedAt: NOW - 5 * HOUR });
    const forAna = anOwnership({
      endedAt: NOW - HOUR,
      transferCount: 1,
      wrapupName: 'Refund pending',
      notes: 'Refund approval pending; promised a callback Tuesday.',
      unresolved: true,
      attributes: { intent: 'refund' },
    });
    const forBia = anOwnership({ endedAt: NOW - 2 * HOUR, agentId: 'agent-bruno' });
    const reads: CapturedComposite[] = [];
    const writes: CapturedComposite[] = [];
    const token = mockToken();
    const read = mockCompositeRead(
      {
        contacts: [
          contactRecord({
            last: stored,
            history: [stored],
            openCase: { id: CASE_ID, number: '00001026' },
          }),
        ],
      },
      reads,
    );
    const write = mockCompositeWrite(writes);
    const { store, recorder } = salesforceStore();

    const results = await store.commit([
      { key: ANA, ownership: forAna },
      { key: BIA, ownership: forBia },
    ]);

    // Two API calls for the batch (plus the one-off token request).
    expect(recorder.calls).toEqual([
      ['salesforce', 'oauth_token', 'ok'],
      ['salesforce', 'composite_read', 'ok'],
      ['salesforce', 'composite_write', 'ok'],
    ]);
    expect(recorder.budgets).toHaveLength(2);
    const read0 = reads[0]!;
    expect(read0.subrequests.map((s) => [s.method, s.referenceId])).toEqual([
      ['GET', 'contacts_0'],
      ['GET', 'orphans_1'],
      ['GET', 'history_2'],
    ]);
    expect(read0.soql.contacts_0).toMatch(
      /FROM Contact WHERE WhatsApp_Number__c IN \('5511987654321', '551187654321', '5521912345678'\) ORDER BY CreatedDate ASC, Id ASC$/,
    );
    expect(read0.soql.history_2).toContain(
      `WHERE Conversation_Id__c IN ('${forAna.conversationId}', '${forBia.conversationId}')`,
    );
    expect(read0.soql.orphans_1).toContain('WHERE Contact__c = null AND WhatsApp_Number__c IN (');

    const write0 = writes[0]!;
    expect(write0.subrequests.map((s) => [s.method, s.url, s.referenceId])).toEqual([
      [
        'PATCH',
        `${DATA_PATH}/composite/sobjects/Conversation_Ownership__c/Conversation_Id__c`,
        'history',
      ],
      ['PATCH', `${DATA_PATH}/composite/sobjects`, 'contacts'],
      ['PATCH', `${DATA_PATH}/composite/sobjects`, 'cases'],
    ]);
    expect(write0.subrequests[0]!.body?.allOrNone).toBe(false);
    expect(recordsOf(write0, 'history')).toEqual([
      {
        attributes: { type: 'Conversation_Ownership__c' },
        Conversation_Id__c: forAna.conversationId,
        WhatsApp_Number__c: ANA.value,
        Agent_Id__c: 'agent-ana',
        Agent_Name__c: 'Ana',
        Queue_Id__c: 'queue-support',
        Queue_Name__c: 'Support',
        Wrapup_Code__c: 'wrap-resolved',
        Wrapup_Name__c: 'Refund pending',
        Started_At__c: new Date(forAna.startedAt).toISOString(),
        Ended_At__c: new Date(forAna.endedAt).toISOString(),
        Transfer_Count__c: 1,
        Source__c: 'event',
        Notes__c: 'Refund approval pending; promised a callback Tuesday.',
        Unresolved__c: true,
        Channel__c: 'whatsapp',
        Context__c: '{"intent":"refund"}',
        Contact__c: CONTACT_ID,
        Case__c: CASE_ID,
      },
      expect.objectContaining({
        Conversation_Id__c: forBia.conversationId,
        WhatsApp_Number__c: BIA.value,
      }),
    ]);
    expect(recordsOf(write0, 'history')![1]).not.toHaveProperty('Contact__c');
    expect(recordsOf(write0, 'contacts')).toEqual([
      {
        attributes: { type: 'Contact' },
        id: CONTACT_ID,
        Last_Agent_Id__c: 'agent-ana',
        Last_Agent_Name__c: 'Ana',
        Last_Queue_Id__c: 'queue-support',
        Last_Queue_Name__c: 'Support',
        Last_Conversation_Id__c: forAna.conversationId,
        Last_Wrapup_Code__c: 'wrap-resolved',
        Last_Wrapup_Name__c: 'Refund pending',
        Last_Interaction_At__c: new Date(forAna.endedAt).toISOString(),
        Last_Notes__c: 'Refund approval pending; promised a callback Tuesday.',
        Last_Unresolved__c: true,
        Last_Channel__c: 'whatsapp',
        Last_Context__c: '{"intent":"refund"}',
      },
    ]);
    expect(recordsOf(write0, 'cases')).toEqual([
      expect.objectContaining({ attributes: { type: 'Case' }, id: CASE_ID }),
    ]);

    expect(statuses(results)).toEqual(['applied', 'applied']);
    expect(results[0]).toMatchObject({
      record: {
        key: ANA,
        contactId: CONTACT_ID,
        caseId: CASE_ID,
        caseNumber: '00001026',
        caseOpen: true,
        current: forAna,
        recent: [forAna, stored],
      },
    });
    expect(results[1]).toMatchObject({ record: { key: BIA, contactId: '', current: forBia } });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('never overwrites a newer stored Contact version with an older change', async () => {
    const newer = anOwnership({ endedAt: NOW - HOUR });
    const older = anOwnership({ endedAt: NOW - 4 * HOUR });
    const writes: CapturedComposite[] = [];
    const token = mockToken();
    const read = mockCompositeRead(
      { contacts: [contactRecord({ last: newer, openCase: { id: CASE_ID, number: '1' } })] },
      [],
    );
    const write = mockCompositeWrite(writes);

    const results = await salesforceStore().store.commit([{ key: ANA, ownership: older }]);

    expect(writes[0]!.subrequests.map((s) => s.referenceId)).toEqual(['history']);
    expect(JSON.stringify(writes[0])).not.toContain('"Contact"');
    expect(results[0]).toMatchObject({
      status: 'superseded',
      record: { current: { conversationId: newer.conversationId } },
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it("answers each change with the Contact's other keys, so the worker locks and caches all of them", async () => {
    const change = anOwnership({ endedAt: NOW - HOUR });
    mockToken();
    mockCompositeRead(
      { contacts: [contactRecord({ bsuid: 'BR.1502576394655843', openCase: null })] },
      [],
    );
    mockCompositeWrite([]);

    const [result] = await salesforceStore().store.commit([{ key: ANA, ownership: change }]);

    expect(result).toMatchObject({
      status: 'applied',
      record: { key: ANA, aliases: [{ kind: 'bsuid', value: 'BR.1502576394655843' }] },
    });
  });

  it('collapses duplicate changes for one conversation into one record', async () => {
    const first = anOwnership({
      conversationId: 'conv-dup',
      endedAt: NOW - 2 * HOUR,
      agentId: 'agent-old',
    });
    const last = { ...first, endedAt: NOW - HOUR, agentId: 'agent-new' };
    const writes: CapturedComposite[] = [];
    const token = mockToken();
    const read = mockCompositeRead({}, []);
    const write = mockCompositeWrite(writes);

    const results = await salesforceStore().store.commit([
      { key: ANA, ownership: first },
      { key: ANA, ownership: last },
      { key: ANA, ownership: last },
    ]);

    expect(recordsOf(writes[0], 'history')).toEqual([
      expect.objectContaining({ Conversation_Id__c: 'conv-dup', Agent_Id__c: 'agent-new' }),
    ]);
    expect(statuses(results)).toEqual(['superseded', 'applied', 'superseded']);
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('skips the write call when every history row is already newer (one API call)', async () => {
    const o = anOwnership({ endedAt: NOW - 2 * HOUR });
    const token = mockToken();
    const stale = { ...o, endedAt: NOW - HOUR };
    const read = mockCompositeRead({ history: [historyRecord(stale, { number: ANA.value })] }, []);
    const { store, recorder } = salesforceStore();

    const results = await store.commit([{ key: ANA, ownership: o }]);

    expect(statuses(results)).toEqual(['superseded']);
    expect(recorder.calls.map(([, op]) => op)).toEqual(['oauth_token', 'composite_read']);
    expect(token.isDone() && read.isDone()).toBe(true);
  });

  it('decides a customer without a Contact against the history rows (history_only)', async () => {
    const stored = anOwnership({ endedAt: NOW - HOUR });
    const older = anOwnership({ endedAt: NOW - 3 * HOUR });
    const token = mockToken();
    const read = mockCompositeRead({ orphans: [historyRecord(stored, { number: ANA.value })] }, []);
    const write = mockCompositeWrite([]);

    const results = await salesforceStore().store.commit([{ key: ANA, ownership: older }]);

    expect(results[0]).toMatchObject({
      status: 'superseded',
      record: { contactId: '', current: stored, recent: [stored, older] },
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('creates the Contact by external id in create_contact mode and links history to it', async () => {
    const o = anOwnership();
    const writes: CapturedComposite[] = [];
    const token = mockToken();
    const read = mockCompositeRead({}, []);
    const write = mockCompositeWrite(writes, {
      newContacts_phone: {
        body: [{ id: '003xx000004NewAAA', success: true, errors: [], created: true }],
      },
    });

    const results = await salesforceStore('create_contact').store.commit([
      { key: ANA, ownership: o },
    ]);

    const created = writes[0]!.subrequests[0]!;
    expect([created.method, created.url]).toEqual([
      'PATCH',
      `${DATA_PATH}/composite/sobjects/Contact/WhatsApp_Number__c`,
    ]);
    expect(created.body?.records).toEqual([
      expect.objectContaining({
        attributes: { type: 'Contact' },
        WhatsApp_Number__c: ANA.value,
        LastName: 'WhatsApp +5511987654321',
        Last_Conversation_Id__c: o.conversationId,
      }),
    ]);
    expect(recordsOf(writes[0], 'history')![0]).toMatchObject({
      Contact__r: { attributes: { type: 'Contact' }, WhatsApp_Number__c: ANA.value },
    });
    expect(results[0]).toMatchObject({
      status: 'applied',
      record: { contactId: '003xx000004NewAAA', current: o },
    });
    expect(token.isDone() && read.isDone() && write.isDone()).toBe(true);
  });

  it('splits more than 200 changes into batches of two calls each', async () => {
    const changes = Array.from({ length: 250 }, (_, i) => ({
      key: aPhoneKey(`55119876${String(i).padStart(5, '0')}`),
      ownership: anOwnership({ conversationId: `conv-batch-${i}`, endedAt: NOW - HOUR }),
    }));
    const writes: CapturedComposite[] = [];
    const token = mockToken();
    const scopes = [
      mockCompositeRead({}, []),
      mockCompositeWrite(writes),
      mockCompositeRead({}, []),
      mockCompositeWrite(writes),
    ];
    const { store, recorder } = salesforceStore();

    const results = await store.commit(changes);

    expect(results).toHaveLength(250);
    expect(recorder.calls.filter(([, op]) => op.startsWith('composite'))).toHaveLength(4);
    expect(writes.map((w) => recordsOf(w, 'history')?.length)).toEqual([200, 50]);
    expect(token.isDone() && scopes.every((s) => s.isDone())).toBe(true);
  });

  it('reads stored date-times in Salesforce format', () => {
    expect(sfDateTime(Date.parse('2026-11-25T11:00:00Z'))).toBe('2026-11-25T11:00:00.000+0000');
    expect(fixture('collections-upsert-response.json')).toHaveLength(2);
  });
});
