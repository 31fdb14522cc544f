import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BridgeError } from '../../errors/catalogue.ts';
import type { SalesforceClient } from './client.salesforce.ts';
import { requestFailure } from './errors.salesforce.ts';

/**
 * Hard delete through Bulk API 2.0, the documented way to delete records
 * without leaving them in the recycle bin: "When records are deleted using
 * standard API calls, they are moved to the Recycle Bin. To permanently remove
 * deleted records without waiting 15 days or manually emptying the Recycle
 * Bin, you can use the Bulk API's hardDelete operation" (Salesforce Help,
 * "Hard Delete records with REST bulk API", article 000382207). It needs the
 * "Bulk API Hard Delete" user permission (`BulkApiHardDelete`), which the
 * `Continuity_Bridge_Privacy` permission set grants, and delete on the object.
 *
 * One job per chunk, created with its data in a single multipart request
 * (Bulk API 2.0 Developer Guide, "Create a Job" / create_job.htm and "Bulk
 * Insert with a Multipart Request": "After you create a multipart job, it's
 * closed automatically"), then `GET …/jobs/ingest/{id}` until a final state
 * ("Get Information About an Ingest Job", get_job_info.htm; "Job States").
 * Every HTTP request counts as one API call; a chunk of up to 1,000 ids costs
 * one create plus its state checks.
 */

/**
 * Ids per job. The multipart walkthrough caps the CSV at 20,000 characters in
 * its older versions (100,000 later); 1,000 ids of 18 characters and their line
 * ends stay under the smaller figure.
 */
export const HARD_DELETE_CHUNK = 1000;

/** The job fields the bridge reads (get_job_info.htm lists them all). */
const JobInfo = z.looseObject({
  id: z.string().min(1),
  state: z.enum(['Open', 'UploadComplete', 'InProgress', 'JobComplete', 'Aborted', 'Failed']),
  numberRecordsProcessed: z.number().optional(),
  numberRecordsFailed: z.number().optional(),
  errorMessage: z.string().nullish(),
});
type JobInfo = z.output<typeof JobInfo>;

export interface HardDeleteOptions {
  readonly pollIntervalMs: number;
  readonly pollTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
}

export interface HardDeleteResult {
  readonly deleted: number;
  readonly failed: number;
  /** Jobs with failed rows, for the admin (Setup → Bulk Data Load Jobs). */
  readonly failedJobs: readonly string[];
}

const SALESFORCE_ID = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

function multipartJob(object: string, ids: readonly string[]) {
  const boundary = `cb-${randomUUID()}`;
  const job = JSON.stringify({
    object,
    operation: 'hardDelete',
    contentType: 'CSV',
    lineEnding: 'LF',
  });
  // Delete jobs carry one column, Id ("Bulk deletion requests can include only the Id field").
  const csv = ['Id', ...ids].join('\n');
  const body = [
    `--${boundary}`,
    'Content-Type: application/json',
    'Content-Disposition: form-data; name="job"',
    '',
    job,
    `--${boundary}`,
    'Content-Type: text/csv',
    'Content-Disposition: form-data; name="content"; filename="content"',
    '',
    csv,
    `--${boundary}--`,
    '',
  ].join('\r\n');
  return { body, contentType: `multipart/form-data; boundary=${boundary}` };
}

async function awaitJob(
  client: SalesforceClient,
  jobId: string,
  options: HardDeleteOptions,
): Promise<JobInfo> {
  const deadline = Date.now() + options.pollTimeoutMs;
  for (;;) {
    const info = await client.request(
      'bulk_job_state',
      { method: 'GET', url: `${client.dataPath}/jobs/ingest/${jobId}` },
      JobInfo,
    );
    if (info.state === 'JobComplete') return info;
    if (info.state === 'Failed' || info.state === 'Aborted') {
      throw new BridgeError(
        'CB_ERR_CRM_REJECTED',
        `Salesforce hard-delete job ${jobId} ended ${info.state}: ${info.errorMessage ?? 'no message'}`,
      );
    }
    if (Date.now() >= deadline) {
      throw new BridgeError(
        'CB_ERR_CRM_UNAVAILABLE',
        `Salesforce hard-delete job ${jobId} still ${info.state} after ${options.pollTimeoutMs} ms; run the erasure again once it completes`,
      );
    }
    await options.sleep(options.pollIntervalMs);
  }
}

/**
 * Hard-deletes `ids` of `object`; resolves when every job has completed. Jobs
 * of one call run side by side in Salesforce; their states are checked in turn.
 */
export async function hardDelete(
  client: SalesforceClient,
  object: string,
  ids: readonly string[],
  options: HardDeleteOptions,
): Promise<HardDeleteResult> {
  const unique = [...new Set(ids)];
  if (unique.some((id) => !SALESFORCE_ID.test(id)))
    throw new BridgeError('CB_ERR_INTERNAL', 'hard delete: not a Salesforce record id');
  const jobIds: string[] = [];
  for (let at = 0; at < unique.length; at += HARD_DELETE_CHUNK) {
    const { body, contentType } = multipartJob(object, unique.slice(at, at + HARD_DELETE_CHUNK));
    const created = await client
      .request(
        'bulk_job_create',
        {
          method: 'POST',
          url: `${client.dataPath}/jobs/ingest`,
          body,
          headers: { 'content-type': contentType, accept: 'application/json' },
        },
        JobInfo,
      )
      .catch((error: unknown) => {
        // Salesforce's answer without the permission is not documented: name the likely cause.
        const failure = requestFailure(error);
        throw new BridgeError(
          failure.code,
          `Salesforce refused the hard-delete job (${failure.salesforceCode}: ${failure.message}); ` +
            'the integration user needs the Continuity_Bridge_Privacy permission set (Bulk API Hard Delete)',
        );
      });
    jobIds.push(created.id);
  }
  let deleted = 0;
  let failed = 0;
  const failedJobs: string[] = [];
  for (const jobId of jobIds) {
    const info = await awaitJob(client, jobId, options);
    // Failed rows are processed rows too (get_job_unprocessed_results.htm).
    const rowsFailed = info.numberRecordsFailed ?? 0;
    deleted += (info.numberRecordsProcessed ?? 0) - rowsFailed;
    failed += rowsFailed;
    if (rowsFailed > 0) failedJobs.push(jobId);
  }
  return { deleted, failed, failedJobs };
}
