import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { BridgeError } from '../errors/catalogue.ts';
import { ERRORS, isBridgeError, type ErrorCode } from '../errors/catalogue.ts';
import type { Logger } from '../observability/logger.ts';

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

/** RFC 9457 problem details, with the bridge's stable error code. */
export function sendProblem(
  res: ServerResponse,
  code: ErrorCode,
  detail: string,
  extra: { errors?: readonly FieldProblem[] } = {},
): void {
  const { status, title } = ERRORS[code];
  const requestId = res.getHeader('X-Request-Id');
  sendJson(
    res,
    status,
    {
      type: `https://continuity-bridge.dev/errors/${code}`,
      title,
      status,
      code,
      detail,
      ...(extra.errors && { errors: extra.errors }),
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
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'Content-Type': `${type}; charset=utf-8`,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}

/** zod issues → `[{field: 'address', message: '…'}]`, and a one-line detail naming them. */
export function fieldProblems(error: z.ZodError): { detail: string; errors: FieldProblem[] } {
  const errors = error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '';
    const path = issue.path.map(String).join('.');
    return { field: path || keys || '(body)', message: issue.message };
  });
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return { detail, errors };
}

interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** The one place errors become HTTP statuses (the catalogue holds the map). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    if (res.headersSent) return next(error);
    const parserError = error as BodyParserError;
    if (parserError.type === 'entity.parse.failed') {
      return sendProblem(res, 'CB_ERR_MALFORMED_JSON', 'The body could not be parsed as JSON.');
    }
    if (parserError.type === 'entity.too.large') {
      return sendProblem(
        res,
        'CB_ERR_PAYLOAD_TOO_LARGE',
        `The body exceeds ${parserError.limit} bytes.`,
      );
    }
    if (parserError.type === 'encoding.unsupported' || parserError.type === 'charset.unsupported') {
      return sendProblem(res, 'CB_ERR_UNSUPPORTED_MEDIA_TYPE', parserError.message);
    }
    if (isBridgeError(error)) {
      const bridgeError = error as BridgeError;
      if (bridgeError.status >= 500) logger.error({ err: error }, 'request failed');
      return sendProblem(res, bridgeError.code, bridgeError.message);
    }
    logger.error({ err: error }, 'unhandled error');
    return sendProblem(res, 'CB_ERR_INTERNAL', 'The bridge could not complete the request.');
  };
}
