import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import {
  GenesysClient,
  type GenesysClientOptions,
} from '../../src/adapters/genesys/client.genesys.ts';
import { createLogger, type Logger } from '../../src/observability/logger.ts';
import type { CallRecorder } from '../../src/observability/metrics.ts';

/** The region the Genesys adapter tests use: `eu_west_1` = mypurecloud.ie. */
export const REGION = 'eu_west_1';
export const API_URL = 'https://api.mypurecloud.ie';
export const LOGIN_URL = 'https://login.mypurecloud.ie';
export const CLIENT_ID = 'bridge-client-id';
export const CLIENT_SECRET = 'bridge-client-secret';

/**
 * nock for one test file driving the real SDK: no real network, and every
 * interceptor a test declared must have been used (`isDone`) by its end.
 */
export function useGenesysNock(): void {
  beforeAll(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    const done = nock.isDone();
    nock.cleanAll();
    expect(pending).toEqual([]);
    expect(done).toBe(true);
  });
  afterAll(() => {
    nock.enableNetConnect();
  });
}

/**
 * POST https://login.<env>/oauth/token as `loginClientCredentialsGrant` sends it
 * (Basic client id:secret, `grant_type=client_credentials`), answering the
 * OAuth token response `{access_token, token_type, expires_in}`.
 */
export function nockLogin(accessToken: string, expiresIn = 86_400, delayMs = 0): nock.Scope {
  return nock(LOGIN_URL)
    .post('/oauth/token', 'grant_type=client_credentials')
    .basicAuth({ user: CLIENT_ID, pass: CLIENT_SECRET })
    .delay(delayMs)
    .reply(200, { access_token: accessToken, token_type: 'bearer', expires_in: expiresIn });
}

/** The platform API, expecting `Authorization: Bearer <token>`. */
export function nockApi(accessToken: string): nock.Scope {
  return nock(API_URL).matchHeader('authorization', `Bearer ${accessToken}`);
}

/** `inin-ratelimit-*` response headers (reference §4.8): used, allowed, reset seconds. */
export function rateLimitHeaders(count: number, allowed = 300, reset = 60): Record<string, string> {
  return {
    'inin-ratelimit-count': String(count),
    'inin-ratelimit-allowed': String(allowed),
    'inin-ratelimit-reset': String(reset),
  };
}

export interface RecordedCalls extends CallRecorder {
  readonly calls: string[];
  readonly budgets: Array<{ remaining: number; limit: number }>;
}

/** A CallRecorder that keeps `operation:outcome` strings and budgets. */
export function recordingRecorder(): RecordedCalls {
  const calls: string[] = [];
  const budgets: Array<{ remaining: number; limit: number }> = [];
  return {
    calls,
    budgets,
    call: (_system, operation, outcome) => calls.push(`${operation}:${outcome}`),
    budget: (_system, remaining, limit) => budgets.push({ remaining, limit }),
  };
}

export interface CapturedLogs {
  readonly logger: Logger;
  readonly lines: Array<Record<string, unknown>>;
}

/** The bridge's pino logger writing JSON lines into memory. */
export function capturedLogger(level = 'debug'): CapturedLogs {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, {
    write: (line: string) => {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  });
  return { logger, lines };
}

/** A GenesysClient on the test region, with test credentials and no real waits by default. */
export function testClient(
  overrides: Partial<GenesysClientOptions> = {},
): { client: GenesysClient; recorder: RecordedCalls; waits: number[] } & CapturedLogs {
  const recorder = recordingRecorder();
  const { logger, lines } = capturedLogger();
  const waits: number[] = [];
  const client = new GenesysClient({
    region: REGION,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    recorder,
    logger,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
  return { client, recorder, waits, logger, lines };
}
