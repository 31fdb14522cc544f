import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { sendProblem } from './problem.ts';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Accepts `Authorization: Bearer <token>` or `X-Api-Key: <token>` (the Genesys
 * "User Defined" credential). Tokens are compared as SHA-256 digests with
 * `timingSafeEqual`, against every configured token without early exit, so
 * neither the token's content nor its length, nor which token matched, leaks
 * through timing. Several tokens may be valid at once (rotation).
 */
export function requireApiToken(tokens: readonly string[]): RequestHandler {
  const expected = tokens.map(digest);
  return (req, res, next) => {
    const header = req.get('authorization');
    const bearer = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
    const presented = bearer ?? req.get('x-api-key')?.trim();
    if (!presented) {
      res.set('WWW-Authenticate', 'Bearer');
      return sendProblem(
        res,
        'CB_ERR_UNAUTHORIZED',
        'Send the API token as "Authorization: Bearer <token>" or "X-Api-Key: <token>".',
      );
    }
    const candidate = digest(presented);
    let matched = false;
    for (const token of expected) matched = timingSafeEqual(candidate, token) || matched;
    if (!matched) {
      res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      return sendProblem(res, 'CB_ERR_UNAUTHORIZED', 'The API token is not valid.');
    }
    next();
  };
}
