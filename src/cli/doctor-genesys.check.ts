import { z } from 'zod';
import { resolveEnvironment } from '../adapters/genesys/region.genesys.ts';
import { rateLimitBudget } from '../adapters/genesys/response.genesys.ts';
import type { Config } from '../config/config.ts';
import { safeMessage } from './cli-io.ts';
import {
  clockCheck,
  fail,
  ok,
  skewFromDateHeader,
  warn,
  type CheckResult,
} from './doctor-report.ts';
import { networkFailure, unreachable } from './doctor-network.ts';
import { fetchAnswer, type Answer } from './doctor-http.ts';

const AREA = 'genesys';

type GenesysConfig = Extract<Config['genesys'], { enabled: true }>;

const call = fetchAnswer;

const TokenBody = z.looseObject({ access_token: z.string().min(1) });
const Listing = z.looseObject({ entities: z.array(z.looseObject({ id: z.string() })).optional() });

/** A Genesys error body's message (a 403 names the missing permission), else the status. */
function reason(answer: Answer): string {
  const body = answer.body as { message?: unknown; error_description?: unknown; error?: unknown };
  const message = [body?.message, body?.error_description, body?.error].find(
    (value) => typeof value === 'string' && value !== '',
  );
  return message ? `HTTP ${answer.status}: ${String(message)}` : `HTTP ${answer.status}`;
}

interface Probe {
  readonly what: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
  /** The permission Genesys usually names for this API. */
  readonly permission: string;
}

/** One cheap call per API the bridge uses. */
export function probes(now: number): Probe[] {
  const from = new Date(now - 60_000).toISOString();
  const to = new Date(now).toISOString();
  return [
    {
      what: 'analytics conversation details (reconcile of old conversations, sweep, backfill)',
      method: 'POST',
      path: '/api/v2/analytics/conversations/details/query',
      body: { interval: `${from}/${to}`, paging: { pageSize: 1, pageNumber: 1 } },
      permission: 'analytics:conversationDetail:view',
    },
    {
      what: 'routing queues (queue names)',
      method: 'GET',
      path: '/api/v2/routing/queues?pageSize=1',
      permission: 'routing:queue:view',
    },
    {
      what: 'wrap-up codes (wrap-up names)',
      method: 'GET',
      path: '/api/v2/routing/wrapupcodes?pageSize=1',
      permission: 'routing:wrapupCode:view',
    },
    {
      what: 'users (agent names, availability)',
      method: 'GET',
      path: '/api/v2/users?pageSize=1',
      permission: 'directory:user:view',
    },
  ];
}

/**
 * Genesys Cloud: client-credentials login, one read per API the bridge uses
 * (a 403 names the missing permission), the per-token rate-limit budget and the
 * clock. Nothing is written.
 */
export async function checkGenesys(config: GenesysConfig): Promise<CheckResult[]> {
  let environment: string;
  try {
    environment = resolveEnvironment(config.region);
  } catch (error) {
    return [
      fail(
        AREA,
        safeMessage(error),
        'set GENESYS_REGION to your org’s region, e.g. mypurecloud.ie or eu_west_1',
      ),
    ];
  }
  const results: CheckResult[] = [];
  try {
    let login: Answer;
    try {
      login = await call(`https://login.${environment}/oauth/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials',
      });
    } catch (error) {
      // The network, not the client id and secret (they were never checked).
      const network = networkFailure(error);
      if (network) return [unreachable(AREA, `login.${environment}`, network)];
      throw error;
    }
    const token = TokenBody.safeParse(login.body);
    if (login.status !== 200 || !token.success) {
      return [
        fail(
          AREA,
          `login to ${environment} refused: ${reason(login)}`,
          'check GENESYS_CLIENT_ID/GENESYS_CLIENT_SECRET (an OAuth client with the Client Credentials grant) and GENESYS_REGION: a client exists in one region only',
        ),
      ];
    }
    results.push(ok(AREA, `logged in to ${environment} (client credentials)`));
    const api = `https://api.${environment}`;
    const headers = {
      authorization: `Bearer ${token.data.access_token}`,
      'content-type': 'application/json',
    };
    const list = probes(Date.now());
    let last: Answer | null = null;
    let userId: string | undefined;
    for (const probe of list) {
      const answer = await call(`${api}${probe.path}`, {
        method: probe.method,
        headers,
        ...(probe.body !== undefined && { body: JSON.stringify(probe.body) }),
      });
      last = answer;
      if (answer.status >= 200 && answer.status < 300) {
        results.push(ok(AREA, `${probe.what}: allowed`));
        if (probe.path.startsWith('/api/v2/users')) {
          userId = Listing.safeParse(answer.body).data?.entities?.[0]?.id;
        }
      } else {
        results.push(
          fail(
            AREA,
            `${probe.what}: ${reason(answer)}`,
            `give the OAuth client a role with ${probe.permission} (Admin → Roles / Permissions), then log in again`,
          ),
        );
      }
    }
    if (config.availability && userId) {
      const availability: Array<[string, string]> = [
        ['routing status', `/api/v2/users/${userId}/routingstatus`],
        ['queue membership', `/api/v2/users/${userId}/queues?pageSize=1`],
      ];
      for (const [what, path] of availability) {
        const answer = await call(`${api}${path}`, { headers });
        last = answer;
        results.push(
          answer.status === 200
            ? ok(AREA, `agent availability (${what}): allowed`)
            : fail(
                AREA,
                `agent availability (${what}): ${reason(answer)}`,
                'give the OAuth client a role that can view user routing status and queue membership, or set GENESYS_AVAILABILITY=false',
              ),
        );
      }
    }
    if (last) {
      const budget = rateLimitBudget(last.headers);
      results.push(
        budget
          ? ok(
              AREA,
              `rate limit: ${budget.remaining} of ${budget.limit} requests left this minute for this token`,
            )
          : warn(AREA, 'no inin-ratelimit-* headers: rate-limit budget unknown'),
      );
      results.push(
        clockCheck(
          AREA,
          'Genesys',
          skewFromDateHeader(last.headers.get('date'), last.sentAt, last.receivedAt),
        ),
      );
    }
  } catch (error) {
    const network = networkFailure(error);
    results.push(
      network
        ? unreachable(AREA, `api.${environment}`, network)
        : fail(
            AREA,
            `request failed: ${safeMessage(error)}`,
            `check that api.${environment} is reachable from here`,
          ),
    );
  }
  return results;
}
