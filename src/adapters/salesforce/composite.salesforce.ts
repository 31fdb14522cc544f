import { BridgeError } from '../../errors/catalogue.ts';
import { z } from 'zod';
import type { HttpRequest } from 'jsforce';
import { recordFailure, type SalesforceFailure } from './errors.salesforce.ts';

/**
 * The Composite resource: up to 25 subrequests in one `POST …/composite`,
 * which counts as one API call; at most 5 of them may be queries or sObject
 * Collections (Salesforce's documented limits; reference §2.4 marks them
 * unverified, so the adapter stays within them rather than relying on more).
 */
export const MAX_QUERY_OR_COLLECTION_SUBREQUESTS = 5;
/** sObject Collections take up to 200 records per request (reference §2.3). */
export const MAX_COLLECTION_RECORDS = 200;

export interface Subrequest {
  readonly method: 'GET' | 'PATCH' | 'POST';
  readonly url: string;
  readonly referenceId: string;
  readonly body?: unknown;
}

/**
 * `allOrNone: false`: one failing subrequest (or record) does not roll back
 * the others, so every change gets its own result.
 */
export function compositeRequest(
  dataPath: string,
  subrequests: readonly Subrequest[],
): HttpRequest {
  return {
    method: 'POST',
    url: `${dataPath}/composite`,
    body: JSON.stringify({ allOrNone: false, compositeRequest: subrequests }),
    headers: { 'content-type': 'application/json' },
  };
}

/** `{compositeResponse: [{body, httpHeaders, httpStatusCode, referenceId}]}` (composite-response.json). */
export const CompositeResponse = z.object({
  compositeResponse: z.array(
    z.object({
      body: z.unknown(),
      httpHeaders: z.record(z.string(), z.string()).optional(),
      httpStatusCode: z.number(),
      referenceId: z.string(),
    }),
  ),
});
export type CompositeEntry = z.output<typeof CompositeResponse>['compositeResponse'][number];

/**
 * One sObject Collections result. Per-record errors carry `statusCode`, not
 * `errorCode`, and `created` may be missing (collections-upsert-partial-failure.json).
 */
export const SaveResult = z.object({
  id: z.string().optional(),
  success: z.boolean(),
  errors: z.array(
    z.object({
      statusCode: z.string(),
      message: z.string(),
      fields: z.array(z.string()).optional(),
    }),
  ),
  created: z.boolean().optional(),
});

/** A failed subrequest's body: `[{errorCode, message}]` (composite-response.json, error-*.json). */
export const ErrorBody = z.array(
  z.object({ errorCode: z.string(), message: z.string(), fields: z.array(z.string()).optional() }),
);

export type RecordOutcome =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly failure: SalesforceFailure };

/** An error body of one subrequest, as a thrown error (`errorCode` like jsforce's). */
export class SubrequestError extends Error {
  readonly errorCode: string;

  constructor(errorCode: string, message: string) {
    super(message);
    this.name = errorCode;
    this.errorCode = errorCode;
  }
}

/** The error a non-2xx subrequest carries; falls back to `ERROR_HTTP_<status>`. */
export function subrequestError(entry: CompositeEntry): SubrequestError {
  const parsed = ErrorBody.safeParse(entry.body);
  const first = parsed.success ? parsed.data[0] : undefined;
  return first
    ? new SubrequestError(first.errorCode, first.message)
    : new SubrequestError(`ERROR_HTTP_${entry.httpStatusCode}`, JSON.stringify(entry.body ?? null));
}

const everyRecord = (count: number, failure: SalesforceFailure): RecordOutcome[] =>
  Array.from({ length: count }, () => ({ ok: false, failure }));

/**
 * Per-record outcomes of one sObject Collections subrequest, in request order.
 * A whole-subrequest error (400 with `[{errorCode}]`, `PROCESSING_HALTED`)
 * fails each of its records with that error; a missing or malformed entry
 * fails them as retryable (the write may or may not have happened, and every
 * write here is idempotent).
 */
export function collectionOutcomes(
  entry: CompositeEntry | undefined,
  count: number,
): RecordOutcome[] {
  if (!entry) {
    return everyRecord(
      count,
      recordFailure('UNKNOWN_EXCEPTION', 'composite subrequest result is missing'),
    );
  }
  if (entry.httpStatusCode >= 300) {
    const error = subrequestError(entry);
    return everyRecord(count, recordFailure(error.errorCode, error.message));
  }
  const parsed = z.array(SaveResult).safeParse(entry.body);
  if (!parsed.success || parsed.data.length !== count) {
    return everyRecord(
      count,
      recordFailure('UNKNOWN_EXCEPTION', `unexpected collections result for ${entry.referenceId}`),
    );
  }
  return parsed.data.map((result): RecordOutcome => {
    if (result.success) return { ok: true, id: result.id ?? '' };
    const first = result.errors[0];
    return {
      ok: false,
      failure: recordFailure(
        first?.statusCode ?? 'UNKNOWN_EXCEPTION',
        first?.message ?? 'record failed',
      ),
    };
  });
}

/**
 * The parsed body of one query subrequest of a Composite response; throws the
 * subrequest's own error, or CB_ERR_INTERNAL naming an unexpected shape.
 */
export function subrequestBody<T>(
  response: z.output<typeof CompositeResponse>,
  referenceId: string,
  schema: z.ZodType<T>,
): T {
  const entry = response.compositeResponse.find((e) => e.referenceId === referenceId);
  if (!entry)
    throw new BridgeError('CB_ERR_INTERNAL', `composite result ${referenceId} is missing`);
  if (entry.httpStatusCode >= 300) throw subrequestError(entry);
  const parsed = schema.safeParse(entry.body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new BridgeError(
    'CB_ERR_INTERNAL',
    `Salesforce ${referenceId} result has an unexpected shape at ${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`,
  );
}
