import { ERRORS, isBridgeError, type ErrorCode } from '../../errors/catalogue.ts';

/** How one Salesforce failure maps onto the bridge's catalogue and retry policy. */
export interface SalesforceFailure {
  readonly code: ErrorCode;
  /** Salesforce's own code (`UNABLE_TO_LOCK_ROW`, `ERROR_HTTP_503`, …) for logs. */
  readonly salesforceCode: string;
  readonly message: string;
  readonly retryable: boolean;
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

/** A per-record error from an sObject Collections result (`statusCode`, `message`). */
export function recordFailure(statusCode: string, message: string): SalesforceFailure {
  if (statusCode === LIMIT_CODE) {
    return { code: 'CB_ERR_CRM_LIMIT', salesforceCode: statusCode, message, retryable: true };
  }
  const retryable = TRANSIENT_RECORD_CODES.has(statusCode);
  return {
    code: retryable ? 'CB_ERR_CRM_UNAVAILABLE' : 'CB_ERR_CRM_REJECTED',
    salesforceCode: statusCode,
    message,
    retryable,
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
    return { code, salesforceCode: code, message, retryable: !ERRORS[code].permanent };
  }
  const salesforceCode = errorCodeOf(error);
  if (salesforceCode === LIMIT_CODE) {
    return { code: 'CB_ERR_CRM_LIMIT', salesforceCode, message, retryable: true };
  }
  if (PERMANENT_REQUEST_CODES.has(salesforceCode)) {
    return { code: 'CB_ERR_CRM_REJECTED', salesforceCode, message, retryable: false };
  }
  return { code: 'CB_ERR_CRM_UNAVAILABLE', salesforceCode, message, retryable: true };
}
