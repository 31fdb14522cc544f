import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.ts';

const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

const BEARER = /^Bearer\s+(.+)$/i;

/**
 * A token's id for audit lines: `tok_` and the first 12 characters of the
 * base64url SHA-256 of the token. It names the token without revealing it
 * (`printf %s "$TOKEN" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | cut -c1-12`).
 */
export function tokenIdOf(token: string): string {
  return `tok_${digest(token).toString('base64url').slice(0, 12)}`;
}

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
 * use the very same check; else it returns the token's id. A token of the
 * `forbidden` list (an API token on an admin route) is answered 403.
 */
export function apiTokenGuard(
  tokens: readonly string[],
  options: { forbidden?: readonly string[] } = {},
) {
  const expected = tokens.map((token) => ({ digest: digest(token), id: tokenIdOf(token) }));
  const forbidden = (options.forbidden ?? []).map(digest);
  return (req: IncomingMessage, res: ServerResponse): string | false => {
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
    let matched: string | false = false;
    for (const token of expected) {
      if (timingSafeEqual(candidate, token.digest)) matched = token.id;
    }
    let other = false;
    for (const token of forbidden) other = timingSafeEqual(candidate, token) || other;
    if (!matched && other) {
      sendProblem(
        res,
        'CB_ERR_FORBIDDEN',
        'This token may not call this route; privacy requests take a token from ADMIN_API_TOKENS.',
      );
      return false;
    }
    if (!matched) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      sendProblem(res, 'CB_ERR_UNAUTHORIZED', 'The API token is not valid.');
      return false;
    }
    return matched;
  };
}

/** The guard as express middleware, for every route under `/v1`. */
export function requireApiToken(tokens: readonly string[]): RequestHandler {
  const guard = apiTokenGuard(tokens);
  return (req, res, next) => {
    if (guard(req, res)) next();
  };
}
