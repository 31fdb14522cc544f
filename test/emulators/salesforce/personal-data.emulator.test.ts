import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSalesforceClient } from '../../../src/adapters/salesforce/client.salesforce.ts';
import { SalesforcePersonalData } from '../../../src/adapters/salesforce/personal-data.salesforce.ts';
import type { CustomerKey } from '../../../src/domain/customer-key.ts';
import type { DataSubject } from '../../../src/privacy/personal-data.port.ts';
import { fakeRecorder, silentLogger } from '../../support/salesforce-nock.ts';
import { startSalesforceEmulator, type SalesforceEmulator } from './emulator.ts';
import type { SRecord } from './schema.ts';

// The Salesforce half of a privacy request, driven through real jsforce
// against the emulator: export, erasure (history rows hard-deleted through a
// Bulk API 2.0 job, bridge fields cleared on Contact and Case, no Contact
// deleted) and retention.
const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 6, 12, 0, 0);
// A Brazilian mobile: the current plan and the form before the ninth digit.
const ANA = '5511987654321';
const ANA_OLD = '551187654321';
const BRUNO = '5521998765432';
const ANA_BSUID = 'BR.1502576394655843';
const anaKey: CustomerKey = { kind: 'phone', value: ANA };
const anaKeys: CustomerKey[] = [anaKey, { kind: 'bsuid', value: ANA_BSUID }];

let emulator: SalesforceEmulator;
let store: SalesforcePersonalData;
let ids: ReturnType<typeof seed>;

const table = (object: string) => emulator.tables.get(object)!;
const row = (object: string, id: string) => table(object).get(id);
const history = () => [...table('Conversation_Ownership__c').values()];
const snapshot = () =>
  JSON.stringify(['Contact', 'Case', 'Conversation_Ownership__c'].map((o) => [...table(o)]));

/** The `Last_*` set, as the bridge leaves it after a conversation. */
const lastFields = (conversationId: string, endedAt: number, notes: string): SRecord => ({
  Last_Agent_Id__c: 'agent-1',
  Last_Agent_Name__c: 'Agent One',
  Last_Queue_Id__c: 'queue-1',
  Last_Queue_Name__c: 'Claims',
  Last_Conversation_Id__c: conversationId,
  Last_Wrapup_Code__c: 'wrap-1',
  Last_Wrapup_Name__c: 'Resolved',
  Last_Interaction_At__c: endedAt,
  Last_Notes__c: notes,
  Last_Unresolved__c: true,
  Last_Channel__c: 'whatsapp',
  Last_Context__c: '{"intent":"claim"}',
});

const historyRow = (
  conversationId: string,
  number: string,
  endedAt: number,
  links: { Contact__c?: string; Case__c?: string } = {},
): SRecord => ({
  Conversation_Id__c: conversationId,
  WhatsApp_Number__c: number,
  Agent_Id__c: 'agent-1',
  Started_At__c: endedAt - 600_000,
  Ended_At__c: endedAt,
  Notes__c: `notes of ${conversationId}`,
  Context__c: '{"intent":"claim"}',
  Source__c: 'event',
  ...links,
});

/**
 * Ana: a Contact with the bridge's fields and notes, an open Case the bridge
 * wrote and a closed one it never touched; history in the current form, in the
 * pre-ninth-digit form, and one row without a Contact that names another
 * Contact's Case whose last conversation is Ana's. Bruno: everything intact.
 */
function seed() {
  const org = emulator.org;
  const ana = org.seed('Contact', {
    LastName: 'Ana',
    WhatsApp_Number__c: ANA,
    ...lastFields('conv-a1', NOW - 2 * DAY, 'Ana asked about her claim'),
  });
  const anaCase = org.seed('Case', {
    ContactId: ana,
    Subject: 'Claim',
    Status: 'New',
    IsClosed: false,
    ...lastFields('conv-a1', NOW - 2 * DAY, 'Ana asked about her claim'),
  });
  const anaClosed = org.seed('Case', { ContactId: ana, Subject: 'Old', IsClosed: true });
  const other = org.seed('Contact', { LastName: 'Shared desk' });
  const sharedCase = org.seed('Case', {
    ContactId: other,
    Subject: 'Shared',
    ...lastFields('conv-a3', NOW - 3 * DAY, 'Ana from an unknown phone'),
  });
  // A Case one of Ana's rows names whose last conversation is someone else's.
  const foreignCase = org.seed('Case', {
    ContactId: other,
    Subject: 'Foreign',
    ...lastFields('conv-x9', NOW - DAY, 'Someone else entirely'),
  });
  const bruno = org.seed('Contact', {
    LastName: 'Bruno',
    WhatsApp_Number__c: BRUNO,
    ...lastFields('conv-b1', NOW - DAY, 'Bruno wants a refund'),
  });
  const brunoCase = org.seed('Case', {
    ContactId: bruno,
    Subject: 'Refund',
    ...lastFields('conv-b1', NOW - DAY, 'Bruno wants a refund'),
  });
  const rows = {
    a1: org.seed(
      'Conversation_Ownership__c',
      historyRow('conv-a1', ANA, NOW - 2 * DAY, { Contact__c: ana, Case__c: anaCase }),
    ),
    a2: org.seed(
      'Conversation_Ownership__c',
      historyRow('conv-a2', ANA_OLD, NOW - 400 * DAY, { Contact__c: ana, Case__c: foreignCase }),
    ),
    a3: org.seed(
      'Conversation_Ownership__c',
      historyRow('conv-a3', ANA, NOW - 3 * DAY, { Case__c: sharedCase }),
    ),
    // Ana once wrote with her number hidden: a row keyed by her WhatsApp user id only.
    a4: org.seed('Conversation_Ownership__c', {
      ...historyRow('conv-a4', ANA, NOW - 4 * DAY),
      WhatsApp_Number__c: null,
      WhatsApp_User_Id__c: ANA_BSUID,
    }),
    b1: org.seed(
      'Conversation_Ownership__c',
      historyRow('conv-b1', BRUNO, NOW - DAY, { Contact__c: bruno, Case__c: brunoCase }),
    ),
  };
  return { ana, anaCase, anaClosed, other, sharedCase, foreignCase, bruno, brunoCase, ...rows };
}

async function start(pageSize?: number, maxRowsPerPass?: number) {
  emulator = await startSalesforceEmulator({
    clientId: 'privacy',
    clientSecret: 'secret',
    ...(pageSize !== undefined && { pageSize }),
  });
  ids = seed();
  const client = createSalesforceClient({
    config: {
      kind: 'salesforce',
      loginUrl: emulator.url,
      apiVersion: '68.0',
      vipField: 'Continuity_VIP__c',
      auth: { flow: 'client_credentials', clientId: 'privacy', clientSecret: 'secret' },
    },
    recorder: fakeRecorder(),
    logger: silentLogger,
  });
  store = new SalesforcePersonalData({
    client,
    logger: silentLogger,
    pollIntervalMs: 0,
    sleep: () => Promise.resolve(),
    ...(maxRowsPerPass !== undefined && { maxRowsPerPass }),
  });
}

beforeEach(() => start());

afterEach(async () => {
  await emulator.close();
});

const subject = async (): Promise<DataSubject> => ({
  keys: anaKeys,
  conversationIds: await store.conversationsOf(anaKeys),
});

describe('SalesforcePersonalData on the emulator', () => {
  it('finds the conversations of every form of the keys, in one call', async () => {
    expect((await store.conversationsOf(anaKeys)).sort()).toEqual([
      'conv-a1',
      'conv-a2',
      'conv-a3',
      'conv-a4',
    ]);
    expect(emulator.calls).toBe(1);
  });

  it('exports the Contact, the Cases the bridge wrote and every history row', async () => {
    const request = await subject();
    const before = emulator.calls;
    const holdings = await store.exportSubject(request);

    // One Composite read, one more for the Case only a Contact-less row names.
    expect(emulator.calls - before).toBe(2);
    expect(holdings.store).toBe('salesforce');
    const { contacts, cases, conversationOwnerships } = holdings.items as Record<
      string,
      Array<Record<string, unknown>>
    >;
    expect(contacts).toEqual([
      expect.objectContaining({
        Id: ids.ana,
        WhatsApp_Number__c: ANA,
        Last_Notes__c: 'Ana asked about her claim',
        Last_Context__c: '{"intent":"claim"}',
      }),
    ]);
    // Bridge fields and Id only: nothing the CRM owns (name, VIP flag).
    expect(contacts![0]).not.toHaveProperty('LastName');
    expect(contacts![0]).not.toHaveProperty('attributes');
    expect(cases!.map((c) => c.Id).sort()).toEqual([ids.anaCase, ids.sharedCase].sort());
    expect(cases!.find((c) => c.Id === ids.sharedCase)).toMatchObject({
      Last_Notes__c: 'Ana from an unknown phone',
    });
    expect(
      conversationOwnerships!.map((h) => [h.Conversation_Id__c, h.WhatsApp_Number__c]).sort(),
    ).toEqual([
      ['conv-a1', ANA],
      ['conv-a2', ANA_OLD],
      ['conv-a3', ANA],
      ['conv-a4', null],
    ]);
    expect(conversationOwnerships!.find((h) => h.Id === ids.a3)).toMatchObject({
      Contact__c: null,
      Notes__c: 'notes of conv-a3',
    });
  });

  it('a dry run counts and changes nothing', async () => {
    const before = snapshot();
    const counts = await store.eraseSubject(await subject(), { dryRun: true });

    expect(counts).toEqual({ historyRows: 4, contactsCleared: 1, casesCleared: 2 });
    expect(snapshot()).toBe(before);
    expect(emulator.bulkJobs.size).toBe(0);
    expect(emulator.writes).toEqual([]);
  });

  it('hard-deletes the rows, clears the bridge fields, keeps the Contact and the second customer', async () => {
    const bruno = { ...row('Contact', ids.bruno) };
    const brunoCase = { ...row('Case', ids.brunoCase) };
    const brunoRow = { ...row('Conversation_Ownership__c', ids.b1) };
    const request = await subject();
    const before = emulator.calls;

    const counts = await store.eraseSubject(request, { dryRun: false });

    expect(counts).toEqual({ historyRows: 4, contactsCleared: 1, casesCleared: 2 });
    // Two reads (as the export), one clear, one hard-delete job and its state
    // checks (InProgress, then JobComplete).
    expect(emulator.calls - before).toBe(6);
    expect(emulator.callsByKind).toMatchObject({ bulk_job_create: 1, bulk_job_state: 2 });
    expect([...emulator.bulkJobs.values()].map((j) => [j.operation, j.object, j.state])).toEqual([
      ['hardDelete', 'Conversation_Ownership__c', 'JobComplete'],
    ]);
    // Gone for good: not in the table, not in the recycle bin.
    expect(history().map((h) => h.Conversation_Id__c)).toEqual(['conv-b1']);
    expect(emulator.recycleBin.size).toBe(0);
    expect(JSON.stringify(history())).not.toContain(ANA_OLD);
    expect(JSON.stringify(history())).not.toContain(ANA_BSUID);
    // The Contact stays, with its key (the CRM's identity); the bridge's fields are empty.
    const ana = row('Contact', ids.ana)!;
    expect(ana).toMatchObject({ LastName: 'Ana', WhatsApp_Number__c: ANA });
    for (const object of ['Contact', 'Case'] as const) {
      const id = object === 'Contact' ? ids.ana : ids.anaCase;
      expect(row(object, id)).toMatchObject({
        Last_Agent_Id__c: null,
        Last_Agent_Name__c: null,
        Last_Conversation_Id__c: null,
        Last_Interaction_At__c: null,
        Last_Notes__c: null,
        Last_Context__c: null,
        Last_Channel__c: null,
        Last_Unresolved__c: false,
      });
    }
    expect(row('Case', ids.sharedCase)).toMatchObject({ Last_Notes__c: null });
    expect(row('Case', ids.foreignCase)).toMatchObject({ Last_Notes__c: 'Someone else entirely' });
    expect(table('Contact').size).toBe(3);
    expect(table('Case').size).toBe(5);
    // Bruno is untouched.
    expect(row('Contact', ids.bruno)).toEqual(bruno);
    expect(row('Case', ids.brunoCase)).toEqual(brunoCase);
    expect(row('Conversation_Ownership__c', ids.b1)).toEqual(brunoRow);
  });

  it('a second erasure finds nothing and writes nothing', async () => {
    await store.eraseSubject(await subject(), { dryRun: false });
    const calls = emulator.calls;
    const writes = emulator.writes.length;

    const again = await store.eraseSubject(
      { keys: anaKeys, conversationIds: ['conv-a1', 'conv-a2', 'conv-a3', 'conv-a4'] },
      { dryRun: false },
    );

    expect(again).toEqual({ historyRows: 0, contactsCleared: 0, casesCleared: 0 });
    expect(emulator.calls - calls).toBe(1);
    expect(emulator.writes.length).toBe(writes);
    expect(emulator.bulkJobs.size).toBe(1);
  });

  it('retention deletes only rows that ended before the cutoff and clears only stale owners', async () => {
    const cutoff = NOW - 365 * DAY;
    // Bruno's Contact last spoke 500 days ago; his Case and row are recent.
    emulator.org.save(
      emulator.org.object('Contact')!,
      { Last_Interaction_At__c: NOW - 500 * DAY },
      ids.bruno,
    );

    expect(await store.purgeOlderThan(cutoff, { dryRun: true })).toEqual({
      historyRows: 1,
      contactsCleared: 1,
      casesCleared: 0,
    });
    expect(history()).toHaveLength(5);

    const counts = await store.purgeOlderThan(cutoff, { dryRun: false });

    expect(counts).toEqual({ historyRows: 1, contactsCleared: 1, casesCleared: 0 });
    expect(
      history()
        .map((h) => h.Conversation_Id__c)
        .sort(),
    ).toEqual(['conv-a1', 'conv-a3', 'conv-a4', 'conv-b1']);
    expect(emulator.recycleBin.size).toBe(0);
    expect(row('Contact', ids.bruno)).toMatchObject({
      Last_Notes__c: null,
      Last_Interaction_At__c: null,
    });
    expect(row('Case', ids.brunoCase)).toMatchObject({ Last_Notes__c: 'Bruno wants a refund' });
    expect(row('Contact', ids.ana)).toMatchObject({ Last_Notes__c: 'Ana asked about her claim' });
    expect(await store.purgeOlderThan(cutoff, { dryRun: false })).toEqual({
      historyRows: 0,
      contactsCleared: 0,
      casesCleared: 0,
    });
  });

  it('follows paged query results', async () => {
    await emulator.close();
    await start(1);
    const request = await subject();

    expect(request.conversationIds).toHaveLength(4);
    expect(await store.eraseSubject(request, { dryRun: false })).toEqual({
      historyRows: 4,
      contactsCleared: 1,
      casesCleared: 2,
    });
    expect(history().map((h) => h.Conversation_Id__c)).toEqual(['conv-b1']);
    expect(emulator.callsByKind.query_more).toBeGreaterThan(0);
  });

  it('drains a retention backlog in bounded passes; a dry run counts all of it', async () => {
    await emulator.close();
    await start(1, 1);
    emulator.org.seed('Conversation_Ownership__c', historyRow('conv-z1', BRUNO, NOW - 900 * DAY));
    const cutoff = NOW - 365 * DAY;

    expect(await store.purgeOlderThan(cutoff, { dryRun: true })).toEqual({
      historyRows: 2,
      contactsCleared: 0,
      casesCleared: 0,
    });
    const paged = emulator.callsByKind.query_more ?? 0;
    expect((await store.purgeOlderThan(cutoff, { dryRun: false })).historyRows).toBe(1);
    expect(history()).toHaveLength(5);
    // The cap stops paging too: the second expired row is not even read.
    expect(emulator.callsByKind.query_more ?? 0).toBe(paged);
    expect((await store.purgeOlderThan(cutoff, { dryRun: false })).historyRows).toBe(1);
    expect((await store.purgeOlderThan(cutoff, { dryRun: false })).historyRows).toBe(0);
    expect(history().map((h) => h.Conversation_Id__c)).not.toContain('conv-z1');
    expect(history().map((h) => h.Conversation_Id__c)).not.toContain('conv-a2');
  });
});
