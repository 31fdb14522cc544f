import { ERRORS, isBridgeError, type ErrorCode } from '../../errors/catalogue.ts';
import type { CommitResult } from '../../ports/ownership-store.port.ts';

/** How one Salesforce failure maps onto the bridge's catalogue and retry policy. */
export interface SalesforceFailure {
  readonly code: ErrorCode;
  /** Salesforce's own code (`UNABLE_TO_LOCK_ROW`, `ERROR_HTTP_503`, …) for logs. */
  readonly salesforceCode: string;
  readonly message: string;
  readonly retryable: boolean;
  /**
   * Salesforce as a whole did not answer (503, unreachable, timed out, out of
   * API calls): no change of the request is at fault, and the next request
   * would fail alike until the org is back. The worker then stops taking jobs
   * for the whole queue until a probe succeeds.
   */
  readonly unavailable: boolean;
}

/**
 * Per-record codes that say "try again later" (reference §2.5). Every other
 * per-record error (MALFORMED_ID, INVALID_FIELD, STRING_TOO_LONG, …) is bad
 * data or configuration, and retrying the same record cannot fix it.
 * DUPLICATE_VALUE is a race on a unique field: another writer created the
 * record between our read and our write; the retry re-reads and updates.
 */
const TRANSIENT_RECORD_CODES = new Set([
  'UNABLE_TO_LOCK_ROW',
  'DUPLICATE_VALUE',
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'PROCESSING_HALTED',
  'SERVER_UNAVAILABLE',
  'UNKNOWN_EXCEPTION',
]);

/**
 * Request-level codes that no retry can fix: the request itself (SOQL, field,
 * object, permission) is wrong. Anything else at request level — 5xx,
 * network errors, timeouts, failed session refresh — is treated as transient,
 * so a misconfiguration parks jobs for an operator instead of dropping them.
 */
const PERMANENT_REQUEST_CODES = new Set([
  'MALFORMED_QUERY',
  'INVALID_FIELD',
  'INVALID_TYPE',
  'INVALID_QUERY_FILTER_OPERATOR',
  'JSON_PARSER_ERROR',
  'MALFORMED_ID',
  'NOT_FOUND',
  'INVALID_CROSS_REFERENCE_KEY',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'API_DISABLED_FOR_ORG',
  'FUNCTIONALITY_NOT_ENABLED',
  'METHOD_NOT_ALLOWED',
  'MULTIPLE_CHOICES',
  'ERROR_HTTP_400',
  'ERROR_HTTP_404',
]);

const LIMIT_CODE = 'REQUEST_LIMIT_EXCEEDED';

/**
 * Request-level codes that say the org cannot be reached or is not serving:
 * 502/503/504 and `SERVER_UNAVAILABLE` (reference §2.1: "unavailable
 * (maintenance or overload)"), jsforce's timeout (`AbortError`), and the
 * network codes jsforce itself treats as retryable (reference §1.3). A 500 is
 * not among them: `UNKNOWN_EXCEPTION` may be this request's own doing.
 */
const UNAVAILABLE_CODES = new Set([
  'SERVER_UNAVAILABLE',
  'ERROR_HTTP_502',
  'ERROR_HTTP_503',
  'ERROR_HTTP_504',
  'AbortError',
  'TimeoutError',
  'ECONNRESET',
  'ECONNREFUSED',
  'ENOTFOUND',
  'ENETDOWN',
  'ENETUNREACH',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
  'EPIPE',
]);

/**
 * No session to call with: jsforce's "Unable to refresh session due to: …"
 * (the grant failed, or the client refused a fourth refresh in a minute, see
 * client.salesforce.ts) or a 401 left as it is. Every call fails alike until a
 * grant succeeds, so it is the org's unavailability, not the job's fault.
 */
function noSession(error: unknown): boolean {
  if (errorCodeOf(error) === 'INVALID_SESSION_ID') return true;
  return error instanceof Error && error.message.startsWith('Unable to refresh session');
}

/** A network failure: fetch's `TypeError: fetch failed`, or a network code anywhere in the causes. */
function isNetworkFailure(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, name, message } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
    };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
    if (name === 'TypeError' && message === 'fetch failed') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** A per-record error from an sObject Collections result (`statusCode`, `message`). */
export function recordFailure(statusCode: string, message: string): SalesforceFailure {
  if (statusCode === LIMIT_CODE) {
    const code = 'CB_ERR_CRM_LIMIT';
    return { code, salesforceCode: statusCode, message, retryable: true, unavailable: true };
  }
  const retryable = TRANSIENT_RECORD_CODES.has(statusCode);
  return {
    code: retryable ? 'CB_ERR_CRM_UNAVAILABLE' : 'CB_ERR_CRM_REJECTED',
    salesforceCode: statusCode,
    message,
    retryable,
    unavailable: false,
  };
}

function errorCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'UNKNOWN';
  const { errorCode, name } = error as { errorCode?: unknown; name?: unknown };
  if (typeof errorCode === 'string' && errorCode !== '') return errorCode;
  return typeof name === 'string' && name !== '' ? name : 'UNKNOWN';
}

/**
 * A whole-request failure: jsforce's HttpApiError (`errorCode` = Salesforce's
 * code or `ERROR_HTTP_<status>`), a fetch/network error, an abort, or one of
 * our own BridgeErrors (unexpected response shape).
 */
export function requestFailure(error: unknown): SalesforceFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (isBridgeError(error)) {
    const code = error.code;
    const retryable = !ERRORS[code].permanent;
    return { code, salesforceCode: code, message, retryable, unavailable: false };
  }
  const salesforceCode = errorCodeOf(error);
  if (salesforceCode === LIMIT_CODE) {
    return {
      code: 'CB_ERR_CRM_LIMIT',
      salesforceCode,
      message,
      retryable: true,
      unavailable: true,
    };
  }
  if (PERMANENT_REQUEST_CODES.has(salesforceCode)) {
    const code = 'CB_ERR_CRM_REJECTED';
    return { code, salesforceCode, message, retryable: false, unavailable: false };
  }
  const unavailable =
    UNAVAILABLE_CODES.has(salesforceCode) || isNetworkFailure(error) || noSession(error);
  return { code: 'CB_ERR_CRM_UNAVAILABLE', salesforceCode, message, retryable: true, unavailable };
}

/** Per-record codes that pass within a second or two (reference §2.5): retried soon, with jitter. */
const BUSY_RECORD_CODES = new Set(['UNABLE_TO_LOCK_ROW', 'DUPLICATE_VALUE']);

export const isBusyRecord = (salesforceCode: string): boolean =>
  BUSY_RECORD_CODES.has(salesforceCode);

/** The failed CommitResult of one change. */
export const failedResult = (failure: SalesforceFailure, busy = false): CommitResult => ({
  status: 'failed',
  code: failure.code,
  message: failure.message,
  retryable: failure.retryable,
  ...(failure.unavailable && { unavailable: true }),
  ...(busy && { busy: true }),
});
