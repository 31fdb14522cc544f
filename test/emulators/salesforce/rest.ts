// The write and batch resources of the Salesforce emulator
// (test/emulators/salesforce/emulator.ts), in the shapes of reference/salesforce.md §2.3-2.4:
// sObject Collections upsert by external id and update by id (per-record
// results `{id, success, errors[{statusCode, message, fields}], created?}`), and
// Composite (`{compositeResponse: [{body, httpHeaders, httpStatusCode, referenceId}]}`).
import type { Org } from './org.ts';
import type { SaveError } from './schema.ts';

const LOCK_ROW_MESSAGE = 'unable to obtain exclusive access to this record or 1 records';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Salesforce's error body: `[{message, errorCode}]` (error-not-found.json). */
export const apiError = (status: number, errorCode: string, message: string): Answer => ({
  status,
  body: [{ message, errorCode }],
});
export const NOT_FOUND = apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
const NO_ALL_OR_NONE = apiError(
  400,
  'NOT_IMPLEMENTED',
  'emulator: allOrNone true is not emulated (the bridge sends false)',
);
/** Composite: 25 subrequests, at most 5 of them queries or sObject Collections. */
const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION = 5;
const MAX_COLLECTION_RECORDS = 200;

const isSaveError = (value: unknown): value is SaveError =>
  typeof value === 'object' && value !== null && 'statusCode' in value;
const failed = (statusCode: string, message: string, fields: string[] = []) => ({
  success: false,
  errors: [{ statusCode, message, fields }],
});

/**
 * sObject Collections with `allOrNone: false`: upsert by `extField` of
 * `objectName` (`PATCH …/composite/sobjects/{Object}/{ExtIdField}`), or update by
 * `id` when no object is named (`PATCH …/composite/sobjects`). Two records with
 * the same key in one request both fail. `onWrite` sees every record written;
 * `locked()` true fails every record with `UNABLE_TO_LOCK_ROW` (fault injection).
 */
export function collections(
  org: Org,
  body: unknown,
  onWrite: (object: string, id: string) => void,
  locked: () => boolean,
  objectName?: string,
  extField?: string,
): Answer {
  const { allOrNone, records } = (body ?? {}) as { allOrNone?: boolean; records?: unknown };
  if (!Array.isArray(records)) {
    return apiError(400, 'JSON_PARSER_ERROR', 'records: a list of sObjects is required');
  }
  if (records.length > MAX_COLLECTION_RECORDS) {
    const message = 'record limit reached. cannot submit more than 200 records into this call';
    return apiError(400, 'EXCEEDED_ID_LIMIT', message);
  }
  if (allOrNone) return NO_ALL_OR_NONE;
  const target = objectName === undefined ? undefined : org.object(objectName);
  const keyField = target && extField ? target.fields.get(extField.toLowerCase()) : undefined;
  if (objectName !== undefined && (!target || !keyField?.externalId)) {
    const message = `Provided external ID field does not exist or is not accessible: ${extField ?? ''}`;
    return apiError(404, 'NOT_FOUND', message);
  }
  const rows = records as Record<string, unknown>[];
  // Another transaction holds the rows: every record fails, nothing is written.
  if (locked()) {
    return { status: 200, body: rows.map(() => failed('UNABLE_TO_LOCK_ROW', LOCK_ROW_MESSAGE)) };
  }
  const keyOf = (r: Record<string, unknown>) =>
    String((keyField ? r[keyField.name] : (r.id ?? r.Id)) ?? '').toLowerCase();
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(keyOf(r), (seen.get(keyOf(r)) ?? 0) + 1);
  const results = rows.map((record) => {
    const type = (record.attributes as { type?: string } | undefined)?.type ?? '';
    const object = org.object(type);
    if (!object || (target && object !== target)) {
      return failed('INVALID_TYPE', `sObject type '${type}' does not match the request`);
    }
    const key = keyOf(record);
    if (key === '') return failed('MISSING_ARGUMENT', `${keyField?.name ?? 'Id'} not specified`);
    if ((seen.get(key) ?? 0) > 1) {
      return keyField
        ? failed('DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${key}`, [
            keyField.name,
          ])
        : failed('INVALID_FIELD', `Duplicate id in list: ${key}`);
    }
    const existing = keyField
      ? org.findBy(object.name, keyField.name, key)
      : org.tables.get(object.name)!.get(String(record.id ?? record.Id));
    if (!keyField && !existing) {
      return failed('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id');
    }
    const values = org.validate(object, record, keyField ? [] : ['id']);
    if (isSaveError(values)) return { success: false, errors: [values] };
    const id = org.save(object, values, existing?.Id as string | undefined);
    if (isSaveError(id)) return { success: false, errors: [id] };
    onWrite(object.name, id);
    return keyField
      ? { id, success: true, errors: [], created: !existing }
      : { id, success: true, errors: [] };
  });
  return { status: 200, body: results };
}

interface Subrequest {
  readonly method: string;
  readonly url: string;
  readonly referenceId: string;
  readonly body?: unknown;
}

/**
 * Composite with `allOrNone: false`: each subrequest runs through `dispatch` in
 * order and answers with its own status; the whole request is one API call.
 */
export async function composite(
  dataPath: string,
  body: unknown,
  dispatch: (method: string, url: string, body: unknown) => Promise<Answer>,
): Promise<Answer> {
  const { allOrNone, compositeRequest } = (body ?? {}) as {
    allOrNone?: boolean;
    compositeRequest?: unknown;
  };
  if (!Array.isArray(compositeRequest) || compositeRequest.length === 0) {
    return apiError(
      400,
      'JSON_PARSER_ERROR',
      'compositeRequest: a list of subrequests is required',
    );
  }
  if (allOrNone) return NO_ALL_OR_NONE;
  const subrequests = compositeRequest as Subrequest[];
  const heavy = subrequests.filter((s) => /\/query\b|\/composite\/sobjects\b/.test(s.url)).length;
  if (subrequests.length > MAX_SUBREQUESTS || heavy > MAX_QUERY_OR_COLLECTION) {
    const message = `composite: at most ${MAX_SUBREQUESTS} subrequests, ${MAX_QUERY_OR_COLLECTION} of them queries or collections`;
    return apiError(400, 'LIMIT_EXCEEDED', message);
  }
  const compositeResponse = [];
  for (const sub of subrequests) {
    const nested = /\/composite\/?(\?|$)/.test(sub.url) && sub.url.startsWith(dataPath);
    const answer = nested
      ? apiError(400, 'INVALID_INPUT', 'composite subrequests cannot be composite')
      : await dispatch(sub.method, sub.url, sub.body);
    compositeResponse.push({
      body: answer.body,
      httpHeaders: {},
      httpStatusCode: answer.status,
      referenceId: sub.referenceId,
    });
  }
  return { status: 200, body: { compositeResponse } };
}
