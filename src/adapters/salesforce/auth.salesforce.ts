import { sign } from 'node:crypto';
import { OAuth2 } from 'jsforce';
import { z } from 'zod';
import type { SalesforceAuth } from '../../config/config.ts';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
/** JWT lifetime: Salesforce wants a short `exp`; 3 minutes covers clock skew. */
export const JWT_LIFETIME_SECONDS = 180;

/**
 * A token response from `/services/oauth2/token`. Only `access_token` and
 * `instance_url` are required: a documented client-credentials response has no
 * `id` (reference/salesforce.md §1.4), which is why the adapter never calls
 * `conn.authorize()` (it throws on a missing `id`). Neither flow returns a
 * refresh token; a new session is obtained by running the grant again.
 */
export const TokenResponse = z.object({
  access_token: z.string().min(1),
  instance_url: z.url(),
  id: z.string().optional(),
  token_type: z.string().optional(),
  scope: z.string().optional(),
  issued_at: z.string().optional(),
  api_instance_url: z.string().optional(),
});
export type SalesforceToken = z.output<typeof TokenResponse>;

export interface JwtClaimsInput {
  readonly clientId: string;
  readonly username: string;
  /** `https://login.salesforce.com` or `https://test.salesforce.com`. */
  readonly audience: string;
  readonly privateKey: string;
  readonly nowMs: number;
}

const base64url = (value: string) => Buffer.from(value, 'utf8').toString('base64url');

/**
 * The JWT bearer assertion, signed RS256 with `node:crypto` (jsforce v3 has no
 * JWT helper and the bridge needs no `jsonwebtoken`): header `{"alg":"RS256"}`,
 * claims `iss` = consumer key, `sub` = username, `aud` = login host, `exp`.
 */
export function jwtAssertion(input: JwtClaimsInput): string {
  const header = base64url(JSON.stringify({ alg: 'RS256' }));
  const claims = base64url(
    JSON.stringify({
      iss: input.clientId,
      sub: input.username,
      aud: input.audience,
      exp: Math.floor(input.nowMs / 1000) + JWT_LIFETIME_SECONDS,
    }),
  );
  const signingInput = `${header}.${claims}`;
  const signature = sign('RSA-SHA256', Buffer.from(signingInput), input.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

/**
 * The token endpoint host. For the JWT bearer flow keep `SF_LOGIN_URL` at
 * `https://login.salesforce.com` (or `test.` for sandboxes): its origin is also
 * the JWT audience. For client credentials set it to the org's My Domain
 * (`https://acme.my.salesforce.com`): Salesforce documents that flow against the
 * My Domain token endpoint, and login.salesforce.com cannot know which org's
 * Run As user to use (reference §7.1 lists this as unverified).
 */
export function loginOrigin(loginUrl: string): string {
  return new URL(loginUrl).origin;
}

/** The token client for one flow: client id/secret are sent only for client credentials. */
export function tokenClient(auth: SalesforceAuth, loginUrl: string): OAuth2 {
  const origin = loginOrigin(loginUrl);
  return auth.flow === 'client_credentials'
    ? new OAuth2({ loginUrl: origin, clientId: auth.clientId, clientSecret: auth.clientSecret })
    : new OAuth2({ loginUrl: origin });
}

/** The grant parameters for one token request (a fresh, short-lived JWT each time). */
export function grantParams(
  auth: SalesforceAuth,
  loginUrl: string,
  nowMs: number,
): { grant_type: string; [name: string]: string } {
  if (auth.flow === 'client_credentials') return { grant_type: 'client_credentials' };
  return {
    grant_type: JWT_BEARER_GRANT,
    assertion: jwtAssertion({
      clientId: auth.clientId,
      username: auth.username,
      audience: loginOrigin(loginUrl),
      privateKey: auth.privateKey,
      nowMs,
    }),
  };
}

/**
 * Runs the configured grant once and parses the answer. OAuth errors surface
 * as jsforce's error (`name` = OAuth `error`, message = `error_description`).
 */
export async function requestToken(
  oauth2: OAuth2,
  auth: SalesforceAuth,
  loginUrl: string,
  nowMs: number,
): Promise<SalesforceToken> {
  const raw: unknown = await oauth2.requestToken(grantParams(auth, loginUrl, nowMs));
  const parsed = TokenResponse.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Salesforce token response is not valid: ${parsed.error.issues[0]?.message ?? ''}`,
    );
  }
  return parsed.data;
}
