import type { HttpRequest } from 'jsforce';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { SalesforceClient } from './client.salesforce.ts';
import { HARD_DELETE_CHUNK, hardDelete } from './hard-delete.salesforce.ts';

// The hard-delete job protocol against a scripted client: the multipart body,
// chunking, and every way a job can end (get_job_info.htm, "Job States").
const DATA = '/services/data/v68.0';
const id = (n: number) => `a0Bxx${String(n).padStart(10, '0')}AAA`;

function scripted(states: (jobId: string, check: number) => Record<string, unknown>) {
  const requests: HttpRequest[] = [];
  const checks = new Map<string, number>();
  let jobs = 0;
  const client: SalesforceClient = {
    dataPath: DATA,
    request<T>(_operation: string, request: HttpRequest, schema: z.ZodType<T>) {
      requests.push(request);
      if (request.method === 'POST') {
        jobs += 1;
        return Promise.resolve(schema.parse({ id: `750xx${jobs}`, state: 'UploadComplete' }));
      }
      const jobId = request.url.split('/').pop()!;
      const check = (checks.get(jobId) ?? 0) + 1;
      checks.set(jobId, check);
      return Promise.resolve(schema.parse({ id: jobId, ...states(jobId, check) }));
    },
    close() {},
  };
  return { client, requests };
}

const options = { pollIntervalMs: 0, pollTimeoutMs: 60_000, sleep: () => Promise.resolve() };
const done = (processed: number, failed = 0) => ({
  state: 'JobComplete',
  numberRecordsProcessed: processed,
  numberRecordsFailed: failed,
});

describe('hardDelete', () => {
  it('creates one multipart hardDelete job with an Id-only CSV, then waits for JobComplete', async () => {
    const { client, requests } = scripted((_, check) =>
      check === 1 ? { state: 'InProgress' } : done(2),
    );

    const result = await hardDelete(
      client,
      'Conversation_Ownership__c',
      [id(1), id(2), id(1)],
      options,
    );

    expect(result).toEqual({ deleted: 2, failed: 0, failedJobs: [] });
    expect(requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${DATA}/jobs/ingest`,
      `GET ${DATA}/jobs/ingest/750xx1`,
      `GET ${DATA}/jobs/ingest/750xx1`,
    ]);
    const create = requests[0]!;
    const boundary = /boundary=(.+)$/.exec(create.headers!['content-type']!)![1]!;
    const parts = String(create.body).split(`--${boundary}`);
    expect(parts[1]).toContain('Content-Disposition: form-data; name="job"');
    expect(JSON.parse(parts[1]!.split('\r\n\r\n')[1]!)).toEqual({
      object: 'Conversation_Ownership__c',
      operation: 'hardDelete',
      contentType: 'CSV',
      lineEnding: 'LF',
    });
    expect(parts[2]).toContain('name="content"; filename="content"');
    expect(parts[2]!.split('\r\n\r\n')[1]).toBe(`Id\n${id(1)}\n${id(2)}\r\n`);
    expect(parts[3]).toBe('--\r\n');
  });

  it(`splits more than ${HARD_DELETE_CHUNK} ids into jobs and adds up their counts`, async () => {
    const ids = Array.from({ length: HARD_DELETE_CHUNK * 2 + 1 }, (_, i) => id(i));
    const { client, requests } = scripted((jobId) =>
      jobId === '750xx3' ? done(1) : done(HARD_DELETE_CHUNK),
    );

    const result = await hardDelete(client, 'Conversation_Ownership__c', ids, options);

    expect(result.deleted).toBe(ids.length);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('counts failed rows (processed includes failed) and names the job', async () => {
    const { client } = scripted(() => done(3, 1));

    expect(await hardDelete(client, 'X__c', [id(1), id(2), id(3)], options)).toEqual({
      deleted: 2,
      failed: 1,
      failedJobs: ['750xx1'],
    });
  });

  it('throws when the job fails or is aborted, with its message', async () => {
    const failed = scripted(() => ({ state: 'Failed', errorMessage: 'InvalidBatch : no access' }));
    await expect(hardDelete(failed.client, 'X__c', [id(1)], options)).rejects.toThrow(
      /750xx1 ended Failed: InvalidBatch : no access/,
    );
    const aborted = scripted(() => ({ state: 'Aborted' }));
    await expect(hardDelete(aborted.client, 'X__c', [id(1)], options)).rejects.toThrow(
      /ended Aborted/,
    );
  });

  it('gives up after its timeout, saying the erasure can run again', async () => {
    const { client } = scripted(() => ({ state: 'InProgress' }));
    await expect(
      hardDelete(client, 'X__c', [id(1)], { ...options, pollTimeoutMs: 0 }),
    ).rejects.toThrow(/still InProgress .* run the erasure again/);
  });

  it('sends nothing that is not a record id', async () => {
    const { client, requests } = scripted(() => done(1));
    await expect(hardDelete(client, 'X__c', ['a0B,evil\nId'], options)).rejects.toThrow(
      /not a Salesforce record id/,
    );
    expect(requests).toEqual([]);
  });

  it('names the permission set when Salesforce refuses to create the job', async () => {
    const { client } = scripted(() => done(1));
    client.request = () =>
      Promise.reject(Object.assign(new Error('no permission'), { errorCode: 'ERROR_HTTP_400' }));

    await expect(hardDelete(client, 'X__c', [id(1)], options)).rejects.toMatchObject({
      code: 'CB_ERR_CRM_REJECTED',
      message: expect.stringMatching(/ERROR_HTTP_400: no permission.*Continuity_Bridge_Privacy/),
    });
  });
});
