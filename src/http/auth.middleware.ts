import { hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { MAX_TOKEN_BYTES } from '../config/env.schema.ts';
import { sendProblem } from './problem.ts';

const digest = (value: string): Buffer => hash('sha256', value, 'buffer');

const BLOCK_BYTES = 2 + MAX_TOKEN_BYTES;

/**
 * A token as a fixed-size block (its byte length, its bytes, zeros), so every
 * comparison is `timingSafeEqual` over the same number of bytes whatever the
 * token: neither content nor length shows in the time taken, and no hash is
 * computed per request. Null when the token is longer than any valid one.
 */
function tokenBlock(token: string, into: Buffer = Buffer.alloc(BLOCK_BYTES)): Buffer | null {
  const length = Buffer.byteLength(token);
  if (length > MAX_TOKEN_BYTES) return null;
  into.fill(0);
  into.writeUInt16BE(length, 0);
  into.write(token, 2, 'utf8');
  return into;
}

/** The presented token's block: the check is synchronous, so one buffer serves every request. */
const presentedBlock = Buffer.alloc(BLOCK_BYTES);

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
    const name = rawHeaders[i]!;
    // The length first: most headers are neither, and lower-casing each name costs.
    if (name.length !== 13 && name.length !== 9) continue;
    const lower = name.toLowerCase();
    if ((lower === 'authorization' || lower === 'x-api-key') && ++seen > 1) return true;
  }
  return false;
}

/**
 * Checks `Authorization: Bearer <token>` or `X-Api-Key: <token>` (the Genesys
 * "User Defined" credential). Tokens are compared as fixed-size blocks with
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
  const blockOf = (token: string): Buffer => {
    const block = tokenBlock(token);
    if (!block) throw new Error(`API tokens are at most ${MAX_TOKEN_BYTES} bytes`);
    return block;
  };
  const expected = tokens.map((token) => ({ block: blockOf(token), id: tokenIdOf(token) }));
  const forbidden = (options.forbidden ?? []).map(blockOf);
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
    // Longer than any valid token: nothing to compare it with.
    const candidate = tokenBlock(presented, presentedBlock);
    let matched: string | false = false;
    let other = false;
    if (candidate) {
      for (const token of expected) {
        if (timingSafeEqual(candidate, token.block)) matched = token.id;
      }
      for (const token of forbidden) other = timingSafeEqual(candidate, token) || other;
      candidate.fill(0); // the presented token does not stay in memory after its check
    }
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
