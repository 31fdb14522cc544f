/**
 * The bridge's error catalogue: one stable code per failure a user or operator
 * can see. Codes survive process boundaries (BullMQ stores `name`/`message`),
 * where `instanceof` does not. `docs/errors.md` lists exactly these codes
 * (a test keeps them in sync).
 */
export const ERRORS = {
  CB_ERR_VALIDATION: { status: 400, title: 'Request is not valid', permanent: true },
  CB_ERR_MALFORMED_JSON: { status: 400, title: 'Body is not valid JSON', permanent: true },
  CB_ERR_UNAUTHORIZED: { status: 401, title: 'Missing or invalid API token', permanent: true },
  CB_ERR_FORBIDDEN: {
    status: 403,
    title: 'This token may not call this route (privacy requests need an admin token)',
    permanent: true,
  },
  CB_ERR_NOT_FOUND: { status: 404, title: 'No such route', permanent: true },
  CB_ERR_PAYLOAD_TOO_LARGE: { status: 413, title: 'Body is too large', permanent: true },
  CB_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    title: 'Body must be application/json',
    permanent: true,
  },
  CB_ERR_QUEUE_UNAVAILABLE: {
    status: 503,
    title: 'Queue (Redis) is unavailable, retry later',
    permanent: false,
  },
  CB_ERR_NOT_REPLICATED: {
    status: 503,
    title: 'Events did not reach a Redis replica in time, retry later',
    permanent: false,
  },
  CB_ERR_CRM_UNAVAILABLE: { status: 503, title: 'CRM is unavailable', permanent: false },
  CB_ERR_CRM_LIMIT: { status: 503, title: 'CRM API limit exceeded', permanent: false },
  CB_ERR_CRM_REJECTED: { status: 502, title: 'CRM rejected the record', permanent: true },
  CB_ERR_GENESYS_UNAVAILABLE: { status: 503, title: 'Genesys is unavailable', permanent: false },
  CB_ERR_GENESYS_RATE_LIMITED: {
    status: 503,
    title: 'Genesys rate limit reached',
    permanent: false,
  },
  CB_ERR_LOCK_BUSY: {
    status: 503,
    title: 'Another worker holds the customer, retry later',
    permanent: false,
  },
  CB_ERR_NO_CUSTOMER_ADDRESS: {
    status: 422,
    title: 'Conversation has no usable customer address',
    permanent: true,
  },
  CB_ERR_PRIVACY_INCOMPLETE: {
    status: 503,
    title: 'A store could not complete the privacy request; send it again (it is idempotent)',
    permanent: false,
  },
  CB_ERR_PRIVACY_NOT_CONFIGURED: {
    status: 501,
    title: 'Privacy requests need PRIVACY_HASH_SECRET',
    permanent: true,
  },
  CB_ERR_CONFIG: { status: 500, title: 'Configuration is not valid', permanent: true },
  CB_ERR_INTERNAL: { status: 500, title: 'Internal error', permanent: false },
} as const satisfies Record<string, { status: number; title: string; permanent: boolean }>;

export type ErrorCode = keyof typeof ERRORS;

export class BridgeError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = code;
    this.code = code;
    this.details = options.details ?? {};
  }

  get status(): number {
    return ERRORS[this.code].status;
  }

  /** Permanent errors are not retried (BullMQ UnrecoverableError semantics). */
  get permanent(): boolean {
    return ERRORS[this.code].permanent;
  }
}

/** Matches by code, which survives serialization where `instanceof` does not. */
export function isBridgeError(error: unknown, code?: ErrorCode): error is BridgeError {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = (error as { code?: unknown }).code;
  if (typeof candidate !== 'string' || !(candidate in ERRORS)) return false;
  return code === undefined || candidate === code;
}
