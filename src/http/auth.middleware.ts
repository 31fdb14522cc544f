import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.ts';

const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * True when the credential headers appear more than once. Node keeps only the
 * first `Authorization` and joins repeated `X-Api-Key` values, so which token
 * was checked would depend on the proxy in front; such a request is refused.
 */
function repeatsCredential(rawHeaders: readonly string[]): boolean {
  let seen = 0;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if ((name === 'authorization' || name === 'x-api-key') && ++seen > 1) return true;
  }
  return false;
}

/**
 * Checks `Authorization: Bearer <token>` or `X-Api-Key: <token>` (the Genesys
 * "User Defined" credential). Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, against every configured token without early exit, so
 * neither the token's content nor its length, nor which token matched, leaks
 * through timing. Several tokens may be valid at once (rotation).
 *
 * Returns a function that answers 401 and returns false when the request is
 * not authenticated, so both the express middleware and the lookup's fast path
 * use the very same check.
 */
export function apiTokenGuard(tokens: readonly string[]) {
  const expected = tokens.map(digest);
  return (req: IncomingMessage, res: ServerResponse): boolean => {
    if (repeatsCredential(req.rawHeaders)) {
      sendProblem(
        res,
        'CB_ERR_UNAUTHORIZED',
        'Send one Authorization or X-Api-Key header, not several.',
      );
      return false;
    }
    const header = req.headers.authorization;
    const bearer = header === undefined ? undefined : BEARER.exec(header)?.[1]?.trim();
    const apiKey = req.headers['x-api-key'];
    const presented = bearer ?? (typeof apiKey === 'string' ? apiKey.trim() : undefined);
    if (!presented) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      sendProblem(
        res,
        'CB_ERR_UNAUTHORIZED',
        'Send the API token as "Authorization: Bearer <token>" or "X-Api-Key: <token>".',
      );
      return false;
    }
    const candidate = digest(presented);
    let matched = false;
    for (const token of expected) matched = timingSafeEqual(candidate, token) || matched;
    if (!matched) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendProblem(res, 'CB_ERR_UNAUTHORIZED', 'The API token is not valid.');
      return false;
    }
    return true;
  };
}

/** The guard as express middleware, for every route under `/v1`. */
export function requireApiToken(tokens: readonly string[]): RequestHandler {
  const guard = apiTokenGuard(tokens);
  return (req, res, next) => {
    if (guard(req, res)) next();
  };
}
