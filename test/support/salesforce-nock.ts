import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import type { SalesforceStoreConfig } from '../../src/adapters/salesforce/client.salesforce.ts';
import type { CallRecorder } from '../../src/observability/metrics.ts';
import { createLogger } from '../../src/observability/logger.ts';

/**
 * Shared pieces for driving real jsforce against nock. Response shapes built
 * here cite ../shared/reference/salesforce.md; verbatim payloads live in
 * test/fixtures/salesforce/ (copied unchanged from the shared fixtures).
 */

export const LOGIN_URL = 'https://login.salesforce.com';
export const MY_DOMAIN = 'https://acme.my.salesforce.com';
export const INSTANCE_URL = 'https://acme.my.salesforce.com';
export const API_VERSION = '68.0';
export const DATA_PATH = `/services/data/v${API_VERSION}`;
export const TOKEN_PATH = '/services/oauth2/token';
export const CONTACT_ID = '003xx000004TmiQAAS';
export const CASE_ID = '500xx000001AbCdAAK';

export const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export function jwtConfig(overrides: Partial<SalesforceStoreConfig> = {}): SalesforceStoreConfig {
  return {
    kind: 'salesforce',
    loginUrl: LOGIN_URL,
    apiVersion: API_VERSION,
    vipField: 'Continuity_VIP__c',
    auth: {
      flow: 'jwt',
      clientId: 'consumer-key',
      username: 'bridge@acme.example',
      privateKey: keys.privateKey,
    },
    ...overrides,
  };
}

export function clientCredentialsConfig(): SalesforceStoreConfig {
  return {
    kind: 'salesforce',
    loginUrl: MY_DOMAIN,
    apiVersion: API_VERSION,
    vipField: 'Continuity_VIP__c',
    auth: { flow: 'client_credentials', clientId: 'consumer-key', clientSecret: 'consumer-secret' },
  };
}

/** reference §1.4: the token response fields seen in public code (JWT bearer, with `id`). */
export function jwtTokenResponse(accessToken = '00Dxx0000001gPL!AQ4AQ.token-1') {
  return {
    access_token: accessToken,
    scope: 'api',
    instance_url: INSTANCE_URL,
    id: 'https://login.salesforce.com/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS',
    token_type: 'Bearer',
    issued_at: '1764072000000',
    signature: 'c2lnbmF0dXJl',
  };
}

/** reference §1.4: the 2026 client-credentials sample, verbatim apart from the host — no `id`. */
export function clientCredentialsTokenResponse(accessToken = '00DVC-token') {
  return {
    access_token: accessToken,
    scope: 'sfap_api mcp_api api',
    instance_url: INSTANCE_URL,
    api_instance_url: 'https://api.salesforce.com',
    token_type: 'Bearer',
  };
}

/** reference §2.1/§2.5: a 401 "contains the message and errorCode"; INVALID_SESSION_ID. */
export const INVALID_SESSION = [
  { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
];
/** reference §2.1: 403 with errorCode REQUEST_LIMIT_EXCEEDED (message text is typical, not quoted). */
export const LIMIT_EXCEEDED = [
  { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
];
/** reference §2.7: the Sforce-Limit-Info header on every REST response. */
export const LIMIT_HEADERS = {
  'Content-Type': 'application/json',
  'Sforce-Limit-Info': 'api-usage=10018/100000',
};
export const JSON_HEADERS = { 'Content-Type': 'application/json' };

export function fixture(name: string): unknown {
  const path = fileURLToPath(new URL(`../fixtures/salesforce/${name}`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function mockToken(body: object = jwtTokenResponse(), times = 1, origin = LOGIN_URL) {
  return nock(origin).post(TOKEN_PATH).times(times).reply(200, body, JSON_HEADERS);
}

/** The decoded SOQL of a request path `…/query?q=…`. */
export function soqlOf(path: string): string {
  return new URL(path, INSTANCE_URL).searchParams.get('q') ?? '';
}

export interface RecordedCalls extends CallRecorder {
  readonly calls: Array<[string, string, string]>;
  readonly budgets: Array<[string, number, number]>;
}

export function fakeRecorder(): RecordedCalls {
  const calls: Array<[string, string, string]> = [];
  const budgets: Array<[string, number, number]> = [];
  return {
    calls,
    budgets,
    call: (system, operation, outcome) => void calls.push([system, operation, outcome]),
    budget: (system, remaining, limit) => void budgets.push([system, remaining, limit]),
  };
}

export const silentLogger = createLogger('silent');

/** Composite envelope (reference §2.4, composite-response.json). */
export function compositeBody(
  entries: Array<{ referenceId: string; body: unknown; httpStatusCode?: number }>,
) {
  return {
    compositeResponse: entries.map((e) => ({
      body: e.body,
      httpHeaders: {},
      httpStatusCode: e.httpStatusCode ?? 200,
      referenceId: e.referenceId,
    })),
  };
}

export interface CompositeSubrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: { allOrNone: boolean; records: Array<Record<string, unknown>> };
}

/** Parses a composite POST body captured by nock. */
export function subrequestsOf(body: unknown): CompositeSubrequest[] {
  const parsed: unknown = typeof body === 'string' ? JSON.parse(body) : body;
  return (parsed as { compositeRequest: CompositeSubrequest[] }).compositeRequest;
}
