// Bulk API 2.0 ingest jobs for the Salesforce emulator (test/emulators/salesforce/emulator.ts):
// exactly what the privacy adapter (src/adapters/salesforce/personal-data.salesforce.ts)
// sends to hard-delete history rows, in the documented shapes:
// - create a job with its data in one multipart request, `POST /services/data/vXX.X/jobs/ingest`
//   with a `job` part (JSON: object, operation, contentType, lineEnding) and a `content` part
//   (CSV). "The response includes the job id, with a job state of UploadComplete … After you
//   create a multipart job, it's closed automatically" (Bulk API 2.0 Developer Guide, "Bulk
//   Insert with a Multipart Request", walkthrough_upload_multipart_data.htm; "Create a Job",
//   create_job.htm). Delete jobs carry one CSV column, `Id` ("Bulk deletion requests can include
//   only the Id field"; `sf data delete bulk`: "only one column (Id)").
// - job state, `GET /services/data/vXX.X/jobs/ingest/{jobId}` ("Get Information About an Ingest
//   Job", get_job_info.htm): id, operation, object, state, numberRecordsProcessed,
//   numberRecordsFailed, errorMessage and the rest of the documented fields. States go
//   UploadComplete → InProgress → JobComplete ("Job States", bulk_api_2_job_states.htm). Failed
//   rows count in numberRecordsProcessed too: "Failed rows are processed but encounter an error
//   during processing" (get_job_unprocessed_results.htm).
// - `hardDelete` removes records for good, `delete` moves them to the recycle bin ("When records
//   are deleted using standard API calls, they are moved to the Recycle Bin … you can use the
//   Bulk API's hardDelete operation", Salesforce Help 000382207).
// Each HTTP request is one API call ("Each HTTP request counts as one call for the purposes of
// calculating usage limits", Bulk API Limits); record processing itself is not.
// Not emulated (the adapter never sends them): separate data upload and UploadComplete
// requests, results CSVs, insert/update/upsert jobs, the "Bulk API Hard Delete" permission check.
import type { Org } from './org.ts';
import { apiError, type Answer } from './rest.ts';
import { sfDateTime } from './soql.ts';

/** The CSV data a multipart request may carry (walkthrough_upload_multipart_data.htm, v52+). */
const MAX_MULTIPART_CSV = 100_000;
const INTEGRATION_USER_ID = '005xx000001SwiUAAS';

type JobState = 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed';

interface Job {
  readonly id: string;
  readonly object: string;
  readonly operation: 'delete' | 'hardDelete';
  readonly ids: readonly string[];
  readonly createdDate: number;
  state: JobState;
  checks: number;
  processed: number;
  failed: number;
}

export interface BulkOptions {
  /** State requests answered `InProgress` before the job completes. @defaultValue 1 */
  readonly pollsBeforeComplete?: number;
}

const unsupported = (what: string) =>
  apiError(400, 'NOT_IMPLEMENTED', `emulator: ${what} is not emulated (the bridge never sends it)`);

/** The parts of a `multipart/form-data` body by their `name`. */
function multipartParts(raw: string, contentType: string): Map<string, string> | null {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) return null;
  const parts = new Map<string, string>();
  for (const chunk of raw.split(`--${boundary}`)) {
    const split = chunk.search(/\r?\n\r?\n/);
    if (split === -1) continue;
    const name = /name="([^"]+)"/i.exec(chunk.slice(0, split))?.[1];
    const body = chunk
      .slice(split)
      .replace(/^\r?\n\r?\n/, '')
      .replace(/\r?\n$/, '');
    if (name) parts.set(name, body);
  }
  return parts;
}

/** The Bulk API 2.0 ingest resources over `org`. */
export function bulkIngest(org: Org, options: BulkOptions = {}) {
  const jobs = new Map<string, Job>();
  const pollsBeforeComplete = options.pollsBeforeComplete ?? 1;
  let sequence = 0;

  const info = (job: Job, apiVersion: string) => ({
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: INTEGRATION_USER_ID,
    createdDate: sfDateTime(job.createdDate),
    systemModstamp: sfDateTime(job.createdDate),
    state: job.state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(apiVersion),
    jobType: 'V2Ingest',
    lineEnding: 'LF',
    columnDelimiter: 'COMMA',
    numberRecordsProcessed: job.processed,
    numberRecordsFailed: job.failed,
    retries: 0,
    totalProcessingTime: 0,
    apiActiveProcessingTime: 0,
    apexProcessingTime: 0,
  });

  const run = (job: Job) => {
    for (const id of job.ids) {
      if (org.remove(job.object, id, job.operation === 'hardDelete')) job.processed += 1;
      else {
        job.processed += 1;
        job.failed += 1;
      }
    }
    job.state = 'JobComplete';
  };

  return {
    jobs,
    /** `POST …/jobs/ingest` with a multipart body (job + CSV), closed on creation. */
    create(apiVersion: string, raw: string, contentType: string): Answer {
      if (!/^multipart\/form-data/i.test(contentType))
        return unsupported('creating a job without its data (separate upload and UploadComplete)');
      const parts = multipartParts(raw, contentType);
      const jobPart = parts?.get('job');
      const csv = parts?.get('content');
      if (!jobPart || csv === undefined)
        return apiError(
          400,
          'INVALID_INPUT',
          'emulator: a multipart job needs "job" and "content"',
        );
      let spec: Record<string, unknown>;
      try {
        spec = JSON.parse(jobPart) as Record<string, unknown>;
      } catch {
        return apiError(400, 'JSON_PARSER_ERROR', 'The job part is not valid JSON');
      }
      const object = org.object(String(spec.object ?? ''));
      if (!object)
        return apiError(400, 'INVALIDENTITY', `emulator: no object ${String(spec.object)}`);
      if (spec.operation !== 'hardDelete' && spec.operation !== 'delete')
        return unsupported(`operation ${String(spec.operation)}`);
      if ((spec.contentType ?? 'CSV') !== 'CSV' || (spec.lineEnding ?? 'LF') !== 'LF')
        return unsupported('a content type other than CSV or a line ending other than LF');
      if (csv.length > MAX_MULTIPART_CSV)
        return apiError(
          400,
          'INVALID_INPUT',
          'emulator: multipart CSV data over 100,000 characters',
        );
      const [header, ...lines] = csv.split('\n').filter((line) => line !== '');
      if (header !== 'Id')
        return apiError(400, 'INVALID_INPUT', 'emulator: delete jobs carry exactly one column, Id');
      sequence += 1;
      const job: Job = {
        id: `750xx${String(sequence).padStart(10, '0')}AAA`,
        object: object.name,
        operation: spec.operation,
        ids: lines,
        createdDate: Date.now(),
        state: 'UploadComplete',
        checks: 0,
        processed: 0,
        failed: 0,
      };
      jobs.set(job.id, job);
      return { status: 200, body: info(job, apiVersion) };
    },
    /** `GET …/jobs/ingest/{jobId}`: processing advances with each check. */
    get(apiVersion: string, jobId: string): Answer {
      const job = jobs.get(jobId);
      if (!job) return apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
      if (job.state === 'UploadComplete' || job.state === 'InProgress') {
        job.checks += 1;
        if (job.checks > pollsBeforeComplete) run(job);
        else job.state = 'InProgress';
      }
      return { status: 200, body: info(job, apiVersion) };
    },
  };
}
