import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSalesforceEmulator, type SalesforceEmulator } from './emulator.ts';

// The emulator's Bulk API 2.0 ingest jobs and SOQL date comparisons, over raw
// HTTP: a delete job fills the recycle bin, a hardDelete job does not, every
// request is one API call, and requests the bridge never sends are refused.
const DATA = '/services/data/v68.0';
let emulator: SalesforceEmulator;
let token: string;

beforeEach(async () => {
  emulator = await startSalesforceEmulator();
  const answer = await fetch(`${emulator.url}/services/oauth2/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials' }),
  });
  token = ((await answer.json()) as { access_token: string }).access_token;
});

afterEach(() => emulator.close());

const call = async (method: string, path: string, body?: string, contentType?: string) => {
  const answer = await fetch(`${emulator.url}${DATA}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(contentType && { 'content-type': contentType }),
    },
    ...(body !== undefined && { body }),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
};

const multipart = (job: object, csv: string) =>
  [
    '--B',
    'Content-Type: application/json',
    'Content-Disposition: form-data; name="job"',
    '',
    JSON.stringify(job),
    '--B',
    'Content-Type: text/csv',
    'Content-Disposition: form-data; name="content"; filename="content"',
    '',
    csv,
    '--B--',
    '',
  ].join('\r\n');

const seedRow = (conversationId: string, endedAt: number) =>
  emulator.org.seed('Conversation_Ownership__c', {
    Conversation_Id__c: conversationId,
    Ended_At__c: endedAt,
  });

async function runJob(operation: string, ids: string[]) {
  const created = await call(
    'POST',
    '/jobs/ingest',
    multipart(
      { object: 'Conversation_Ownership__c', operation, contentType: 'CSV', lineEnding: 'LF' },
      ['Id', ...ids].join('\n'),
    ),
    'multipart/form-data; boundary=B',
  );
  expect(created.body).toMatchObject({ operation, state: 'UploadComplete', jobType: 'V2Ingest' });
  const id = created.body.id as string;
  const states = [
    (await call('GET', `/jobs/ingest/${id}`)).body,
    (await call('GET', `/jobs/ingest/${id}`)).body,
  ];
  return states.map((s) => [s.state, s.numberRecordsProcessed, s.numberRecordsFailed]);
}

describe('Salesforce emulator: Bulk API 2.0 ingest', () => {
  it('hardDelete removes rows for good; delete moves them to the recycle bin', async () => {
    const [a, b, c] = [seedRow('c-a', 1), seedRow('c-b', 2), seedRow('c-c', 3)];

    expect(await runJob('hardDelete', [a, 'a0Bxx0000009999AAA'])).toEqual([
      ['InProgress', 0, 0],
      ['JobComplete', 2, 1],
    ]);
    expect(await runJob('delete', [b])).toEqual([
      ['InProgress', 0, 0],
      ['JobComplete', 1, 0],
    ]);

    const table = emulator.tables.get('Conversation_Ownership__c')!;
    expect([...table.keys()]).toEqual([c]);
    expect([...emulator.recycleBin.keys()]).toEqual([b]);
    expect(emulator.callsByKind).toMatchObject({ bulk_job_create: 2, bulk_job_state: 4 });
    expect(emulator.calls).toBe(6);
  });

  it('refuses what the bridge never sends: jobs without data, other operations, other columns', async () => {
    const json = await call(
      'POST',
      '/jobs/ingest',
      JSON.stringify({ object: 'Contact', operation: 'hardDelete' }),
      'application/json',
    );
    const insert = await call(
      'POST',
      '/jobs/ingest',
      multipart({ object: 'Contact', operation: 'insert' }, 'LastName\nAna'),
      'multipart/form-data; boundary=B',
    );
    const columns = await call(
      'POST',
      '/jobs/ingest',
      multipart(
        { object: 'Contact', operation: 'hardDelete' },
        'Id,LastName\n003xx0000000001AAA,Ana',
      ),
      'multipart/form-data; boundary=B',
    );

    expect([json.status, insert.status, columns.status]).toEqual([400, 400, 400]);
    expect(emulator.bulkJobs.size).toBe(0);
  });

  it('compares DateTime fields with unquoted SOQL dateTime literals; nulls never match', async () => {
    seedRow('old', Date.UTC(2025, 0, 1));
    seedRow('new', Date.UTC(2026, 0, 1));
    emulator.org.seed('Conversation_Ownership__c', { Conversation_Id__c: 'open' });
    const soql = (op: string) =>
      `SELECT Conversation_Id__c FROM Conversation_Ownership__c WHERE Ended_At__c ${op} 2025-06-01T00:00:00Z`;
    const ids = async (op: string) =>
      (
        (await call('GET', `/query?q=${encodeURIComponent(soql(op))}`)).body.records as Array<{
          Conversation_Id__c: string;
        }>
      ).map((r) => r.Conversation_Id__c);

    expect(await ids('<')).toEqual(['old']);
    expect(await ids('>=')).toEqual(['new']);
  });
});
