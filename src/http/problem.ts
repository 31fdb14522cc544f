import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import { ERRORS, isBridgeError, type BridgeError, type ErrorCode } from '../errors/catalogue.ts';
import type { FieldProblem } from '../errors/field-problems.ts';
import type { Logger } from '../observability/logger.ts';

/** RFC 9457 problem details, with the bridge's stable error code. */
/** The longest `detail` sent: problem details stay small whatever the input was. */
const MAX_DETAIL = 1000;

export function sendProblem(
  res: ServerResponse,
  code: ErrorCode,
  detail: string,
  extra: { errors?: readonly FieldProblem[]; errorsOmitted?: number } = {},
): void {
  const { status, title } = ERRORS[code];
  const requestId = requestIdOf(res);
  sendJson(
    res,
    status,
    {
      type: `https://continuity-bridge.dev/errors/${code}`,
      title,
      status,
      code,
      detail: detail.length <= MAX_DETAIL ? detail : `${detail.slice(0, MAX_DETAIL)}…`,
      ...(extra.errors && { errors: extra.errors }),
      ...(extra.errorsOmitted && { errorsOmitted: extra.errorsOmitted }),
      ...(typeof requestId === 'string' && { requestId }),
    },
    'application/problem+json',
  );
}

/**
 * Writes a JSON answer with plain node APIs: shared by express routes and the
 * lookup's fast path, and cheaper than express's send() on the hot path.
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  type = 'application/json',
): void {
  sendJsonText(res, status, JSON.stringify(value), type);
}

/** Writes JSON that is already serialized (an answer that was sized on its JSON). */
export function sendJsonText(
  res: ServerResponse,
  status: number,
  body: string,
  type = 'application/json',
): void {
  const requestId = requestIds.get(res);
  const headers = {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
  };
  res.writeHead(
    status,
    requestId === undefined ? headers : { ...headers, 'X-Request-Id': requestId },
  );
  res.end(body);
}

/**
 * The request id of a response that has not set it as a header yet. A header
 * set ahead of `writeHead` makes node check every header of the answer again,
 * a measurable share of a warm lookup; kept here, it is written with the rest.
 */
const requestIds = new WeakMap<ServerResponse, string>();

/** Gives the response its request id, written with the answer (`X-Request-Id`) and in problem details. */
export function tagRequestId(res: ServerResponse, requestId: string): void {
  requestIds.set(res, requestId);
}

/** The request id of the response: tagged, else its `X-Request-Id` header. */
export function requestIdOf(res: ServerResponse): string | undefined {
  const header = res.getHeader('X-Request-Id');
  return requestIds.get(res) ?? (typeof header === 'string' ? header : undefined);
}

/**
 * The one place errors become HTTP answers (the catalogue holds the status of
 * each code): a BridgeError keeps its code, message and field list, and asks
 * for a retry when it says how long to wait; anything else is a logged 500.
 */
export function sendError(res: ServerResponse, error: unknown, logger: Logger): void {
  if (isBridgeError(error)) {
    const bridgeError = error as BridgeError;
    // 503s (Redis or the CRM away) are states the sender retries through, logged where they arise.
    if (bridgeError.status === 500) logger.error({ err: error }, 'request failed');
    const { errors, errorsOmitted, retryAfterSeconds } = bridgeError.details as {
      errors?: readonly FieldProblem[];
      errorsOmitted?: number;
      retryAfterSeconds?: number;
    };
    if (typeof retryAfterSeconds === 'number')
      res.setHeader('Retry-After', String(retryAfterSeconds));
    return sendProblem(res, bridgeError.code, bridgeError.message, { errors, errorsOmitted });
  }
  logger.error({ err: error }, 'unhandled error');
  return sendProblem(res, 'CB_ERR_INTERNAL', 'The bridge could not complete the request.');
}

/** Express's error middleware: whatever a route or middleware threw, through sendError. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    sendError(res, error, logger);
  };
}
