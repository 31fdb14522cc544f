import { requestToken, tokenClient } from '../adapters/salesforce/auth.salesforce.ts';
import type { SalesforceStoreConfig } from '../adapters/salesforce/client.salesforce.ts';
import { SALESFORCE_OBJECTS } from '../adapters/salesforce/fields.salesforce.ts';
import { safeMessage } from './cli-io.ts';
import {
  clockCheck,
  fail,
  ok,
  skewFromDateHeader,
  warn,
  type CheckResult,
} from './doctor-report.ts';
import { ApiVersions, describeChecks, DescribeSObject, DEPLOY_FIX } from './salesforce-describe.ts';
import { fetchAnswer, type Answer } from './doctor-http.ts';
import { checkDuplicateContacts } from './doctor-duplicates.check.ts';
import { networkFailure, unreachable } from './doctor-network.ts';

const AREA = 'salesforce';

const get = (url: string, accessToken: string): Promise<Answer> =>
  fetchAnswer(url, {
    headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
  });

/** `[{ errorCode, message }]` → `NOT_FOUND: …`. */
function errorText(answer: Answer): string {
  const first: unknown = Array.isArray(answer.body) ? answer.body[0] : answer.body;
  if (typeof first === 'object' && first !== null) {
    const { errorCode, message } = first as { errorCode?: unknown; message?: unknown };
    if (typeof errorCode === 'string') return `${errorCode}: ${String(message ?? '')}`;
  }
  return `HTTP ${answer.status}`;
}

function tokenFix(config: SalesforceStoreConfig): string {
  return config.auth.flow === 'jwt'
    ? 'check SF_CLIENT_ID (the consumer key), SF_USERNAME, that SF_PRIVATE_KEY matches the certificate uploaded to the app, that the user is pre-authorized (admin-approved users), and SF_LOGIN_URL (test.salesforce.com for sandboxes)'
    : 'check SF_CLIENT_ID/SF_CLIENT_SECRET, that the app has the client credentials flow enabled with a Run As user, and that SF_LOGIN_URL is the org’s My Domain URL';
}

/** `api-usage=10018/100000` → usage, and where it stands against the reserve (SF_API_RESERVE_PERCENT). */
export function limitCheck(header: string | null, reservePercent = 10): CheckResult {
  const match = /api-usage=(\d+)\/(\d+)/.exec(header ?? '');
  if (!match) return warn(AREA, 'no Sforce-Limit-Info header: API budget unknown');
  const used = Number(match[1]);
  const limit = Number(match[2]);
  const remaining = Math.max(0, limit - used);
  const percentUsed = limit > 0 ? Math.round((used / limit) * 1000) / 10 : 0;
  const reserve = Math.ceil((limit * reservePercent) / 100);
  const text =
    `API budget: ${remaining.toLocaleString('en-US')} of ${limit.toLocaleString('en-US')} requests left (rolling 24 h, ${percentUsed} % used); ` +
    `reserve ${reservePercent} % (${reserve.toLocaleString('en-US')} requests, SF_API_RESERVE_PERCENT)`;
  if (remaining < reserve) {
    return warn(
      AREA,
      `${text}: below it, lookups make no Salesforce call on a miss (reason crm_api_reserve), sweep and backfill wait`,
      'find what else uses the org’s API budget (Setup → System Overview) or buy more; the bridge batches writes and caches reads',
    );
  }
  if (remaining < limit * 0.1) {
    return warn(
      AREA,
      text,
      'find what else uses the org’s API budget (Setup → System Overview) or buy more; the bridge batches writes and caches reads',
    );
  }
  return ok(AREA, text);
}

/**
 * Salesforce as the store: the grant, the API version, every object and field
 * of src/adapters/salesforce/fields.salesforce.ts (describe), the API budget and the
 * clock. Only GETs after the token request; nothing is written.
 */
export async function checkSalesforce(
  config: SalesforceStoreConfig,
  options: { createsContacts?: boolean } = {},
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let token: { access_token: string; instance_url: string };
  try {
    token = await requestToken(
      tokenClient(config.auth, config.loginUrl),
      config.auth,
      config.loginUrl,
      Date.now(),
    );
  } catch (error) {
    const network = networkFailure(error);
    if (network) return [unreachable(AREA, new URL(config.loginUrl).host, network)];
    const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
    return [
      fail(
        AREA,
        `no token (${config.auth.flow} flow): ${name}${safeMessage(error)}`,
        tokenFix(config),
      ),
    ];
  }
  results.push(ok(AREA, `token obtained (${config.auth.flow} flow) for ${token.instance_url}`));
  const base = token.instance_url.replace(/\/$/, '');

  try {
    const versions = await get(`${base}/services/data/`, token.access_token);
    const parsed = ApiVersions.safeParse(versions.body);
    if (versions.status !== 200 || !parsed.success) {
      results.push(fail(AREA, `cannot list API versions: ${errorText(versions)}`));
    } else {
      const available = parsed.data.map((v) => v.version);
      const newest = available.at(-1) ?? '?';
      if (!available.includes(config.apiVersion)) {
        results.push(
          fail(
            AREA,
            `API v${config.apiVersion} is not available on this org (newest v${newest}); objects and fields not checked`,
            `set SF_API_VERSION=${newest} (the bridge needs 46.0 or newer)`,
          ),
        );
        return results;
      }
      results.push(ok(AREA, `API v${config.apiVersion} is available (newest v${newest})`));
    }

    let last: Answer | null = null;
    for (const object of SALESFORCE_OBJECTS) {
      const answer = await get(
        `${base}/services/data/v${config.apiVersion}/sobjects/${object.object}/describe`,
        token.access_token,
      );
      last = answer;
      if (answer.status === 404) {
        results.push(
          fail(
            AREA,
            `object ${object.object} does not exist or is not visible to the integration user`,
            DEPLOY_FIX,
          ),
        );
        continue;
      }
      const describe = DescribeSObject.safeParse(answer.body);
      if (answer.status !== 200 || !describe.success) {
        results.push(fail(AREA, `cannot describe ${object.object}: ${errorText(answer)}`));
        continue;
      }
      results.push(
        ...describeChecks(object, describe.data, config.vipField, options.createsContacts === true),
      );
    }
    results.push(
      await checkDuplicateContacts((soql) =>
        get(
          `${base}/services/data/v${config.apiVersion}/query?q=${encodeURIComponent(soql)}`,
          token.access_token,
        ),
      ),
    );
    if (last) {
      results.push(
        limitCheck(last.headers.get('sforce-limit-info'), config.apiReservePercent ?? 10),
      );
      results.push(
        clockCheck(
          AREA,
          'Salesforce',
          skewFromDateHeader(last.headers.get('date'), last.sentAt, last.receivedAt),
        ),
      );
    }
  } catch (error) {
    const network = networkFailure(error);
    results.push(
      network
        ? unreachable(AREA, new URL(base).host, network)
        : fail(
            AREA,
            `request failed: ${safeMessage(error)}`,
            `check that ${base} is reachable from here`,
          ),
    );
  }
  return results;
}
