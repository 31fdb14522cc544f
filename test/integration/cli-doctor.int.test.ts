import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { doctor } from '../../src/cli/doctor.command.ts';
import { captureIo } from '../cli/cli-harness.ts';
import { describeBody, type ObjectName } from '../cli/describe-payloads.ts';
import { testEnv } from '../support/bridge.ts';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  nockApi,
  nockLogin,
  rateLimitHeaders,
  REGION,
} from '../support/genesys-nock.ts';
import { errorBody } from '../support/genesys-payloads.ts';
import { startRedis, type TestRedis } from '../support/redis-server.ts';
import {
  DATA_PATH,
  INSTANCE_URL,
  keys,
  LIMIT_HEADERS,
  LOGIN_URL as SF_LOGIN_URL,
  mockToken,
  TOKEN_PATH,
} from '../support/salesforce-nock.ts';

let redis: TestRedis;

beforeAll(async () => {
  redis = await startRedis({ persistent: true });
  nock.disableNetConnect();
});
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(async () => {
  nock.enableNetConnect();
  await redis?.stop();
});

const now = () => ({ date: new Date().toUTCString() });

function env(): Record<string, string> {
  return testEnv(redis.url, {
    SF_CLIENT_ID: 'consumer-key',
    SF_USERNAME: 'bridge@acme.example',
    SF_PRIVATE_KEY: keys.privateKey,
    GENESYS_CLIENT_ID: CLIENT_ID,
    GENESYS_CLIENT_SECRET: CLIENT_SECRET,
    GENESYS_REGION: REGION,
  });
}

/**
 * The duplicate-Contact queries: `rows` answers a query whose SOQL contains the
 * text given (first match wins); any other query answers no rows. Aggregate
 * rows are AggregateResult records, fields named by their alias (SOAP API
 * Developer Guide, "AggregateResult").
 */
function nockDuplicateQueries(rows: Array<[string, unknown[]]> = []) {
  let asked = 0;
  let soql = '';
  nock(INSTANCE_URL)
    .get(`${DATA_PATH}/query`)
    .query((query) => ((soql = String(query.q ?? '')), true))
    .times(4)
    .optionally()
    .reply(200, () => {
      asked += 1;
      const records = rows.find(([text]) => soql.includes(text))?.[1] ?? [];
      return { totalSize: records.length, done: true, records };
    });
  return { asked: () => asked };
}

/** The org: token, versions, one describe per object (each may be replaced, or left out). */
function nockSalesforce(describes: Partial<Record<ObjectName, unknown>> | null = {}) {
  mockToken();
  nock(INSTANCE_URL)
    .get('/services/data/')
    .reply(200, [
      { label: "Summer '26", url: '/services/data/v67.0', version: '67.0' },
      { label: "Winter '27", url: '/services/data/v68.0', version: '68.0' },
    ]);
  if (describes === null) return;
  for (const object of ['Contact', 'Case', 'Conversation_Ownership__c'] as const) {
    nock(INSTANCE_URL)
      .get(`${DATA_PATH}/sobjects/${object}/describe`)
      .reply(200, describes[object] ?? describeBody(object), { ...LIMIT_HEADERS, ...now() });
  }
  return nockDuplicateQueries();
}

/** Genesys: login and one answer per API probe; `status` overrides per path. */
function nockGenesys(status: Record<string, [number, unknown]> = {}) {
  nockLogin('token-1');
  const headers = () => ({ ...rateLimitHeaders(4), ...now() });
  const answer = (path: string, body: unknown): [number, unknown] => status[path] ?? [200, body];
  const api = nockApi('token-1');
  api
    .post('/api/v2/analytics/conversations/details/query', (body: { interval: string }) =>
      /^\d{4}-.*Z\/\d{4}-.*Z$/.test(body.interval),
    )
    .reply(...answer('analytics', { totalHits: 0 }), headers());
  api
    .get('/api/v2/routing/queues')
    .query({ pageSize: '1' })
    .reply(...answer('queues', { entities: [{ id: 'q-1', name: 'Support' }] }), headers());
  api
    .get('/api/v2/routing/wrapupcodes')
    .query({ pageSize: '1' })
    .reply(...answer('wrapupcodes', { entities: [{ id: 'w-1', name: 'Resolved' }] }), headers());
  api
    .get('/api/v2/users')
    .query({ pageSize: '1' })
    .reply(...answer('users', { entities: [{ id: 'u-1', name: 'Ana' }] }), headers());
  if (!status.users) {
    api.get('/api/v2/users/u-1/routingstatus').reply(200, { status: 'IDLE' }, headers());
    api
      .get('/api/v2/users/u-1/queues')
      .query({ pageSize: '1' })
      .reply(200, { entities: [] }, headers());
  }
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .filter((l) => !l.startsWith('    '));

describe('continuity-bridge doctor', () => {
  it('passes a complete setup: config, Redis, Salesforce (every field) and Genesys', async () => {
    nockSalesforce();
    nockGenesys();
    const out = captureIo();
    const code = await doctor([], env(), out.io);
    const report = lines(out.stdout());
    expect(report.filter((l) => l.startsWith('✖'))).toEqual([]);
    expect(report.filter((l) => l.startsWith('⚠'))).toEqual([]);
    expect(code).toBe(0);
    expect(report).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^✔ config: parsed: store salesforce, Genesys eu_west_1/),
        '✔ redis: maxmemory-policy is noeviction',
        '✔ redis: append-only file is on (appendonly yes, appendfsync always)',
        expect.stringMatching(/^✔ redis: clock within 2 s of Redis/),
        '✔ salesforce: token obtained (jwt flow) for https://acme.my.salesforce.com',
        '✔ salesforce: API v68.0 is available (newest v68.0)',
        '✔ salesforce: Contact has the 15 fields the bridge uses',
        '✔ salesforce: Case has the 12 fields the bridge uses',
        '✔ salesforce: Conversation_Ownership__c has the 19 fields the bridge uses',
        '✔ salesforce: no customer key is held by several Contacts',
        '✔ salesforce: API budget: 89,982 of 100,000 requests left (rolling 24 h, 10 % used); reserve 10 % (10,000 requests, SF_API_RESERVE_PERCENT)',
        expect.stringMatching(/^✔ salesforce: clock within 2 s of Salesforce/),
        '✔ genesys: logged in to mypurecloud.ie (client credentials)',
        expect.stringMatching(/^✔ genesys: analytics conversation details .*: allowed$/),
        '✔ genesys: agent availability (routing status): allowed',
        '✔ genesys: agent availability (queue membership): allowed',
        '✔ genesys: rate limit: 296 of 300 requests left this minute for this token',
        expect.stringMatching(/^✔ genesys: clock within 2 s of Genesys/),
      ]),
    );
    expect(report.at(-1)).toMatch(/^\d+ checks: \d+ passed, 0 warnings, 0 failed$/);
    expect(out.stdout()).not.toContain('\u001b['); // no colour off a terminal
  });

  it('names a field the org lacks and exits 1', async () => {
    nockSalesforce({
      Contact: describeBody('Contact', (fields) =>
        fields.filter((f) => f.name !== 'Last_Agent_Id__c'),
      ),
    });
    nockGenesys();
    const out = captureIo();
    expect(await doctor([], env(), out.io)).toBe(1);
    expect(out.stdout()).toContain(
      '✖ salesforce: Contact.Last_Agent_Id__c is missing (or not visible to the integration user)\n    fix: deploy force-app',
    );
    expect(out.stdout()).toContain('✔ salesforce: Case has the 12 fields the bridge uses');
  });

  it('reports duplicate Contacts: one key on several Contacts, and one number stored in two forms', async () => {
    mockToken();
    nock(INSTANCE_URL)
      .get('/services/data/')
      .reply(200, [{ label: "Winter '27", url: '/services/data/v68.0', version: '68.0' }]);
    for (const object of ['Contact', 'Case', 'Conversation_Ownership__c'] as const) {
      nock(INSTANCE_URL)
        .get(`${DATA_PATH}/sobjects/${object}/describe`)
        .reply(200, describeBody(object), { ...LIMIT_HEADERS, ...now() });
    }
    const aggregate = { type: 'AggregateResult' };
    const queries = nockDuplicateQueries([
      [
        'GROUP BY WhatsApp_Number__c HAVING COUNT(Id) > 1',
        [{ attributes: aggregate, WhatsApp_Number__c: '5521912345678', n: 2 }],
      ],
      ['GROUP BY WhatsApp_User_Id__c', []],
      [
        "LIKE '55__________'",
        [
          // Brazil before the ninth digit, and a landline (12 digits in every plan).
          { attributes: { type: 'Contact' }, Id: '003A', WhatsApp_Number__c: '551187654321' },
          { attributes: { type: 'Contact' }, Id: '003B', WhatsApp_Number__c: '551133331004' },
        ],
      ],
      [
        "IN ('5511987654321')",
        [{ attributes: { type: 'Contact' }, Id: '003C', WhatsApp_Number__c: '5511987654321' }],
      ],
    ]);
    const out = captureIo();
    await doctor([], { ...env(), GENESYS_CLIENT_ID: '', GENESYS_CLIENT_SECRET: '' }, out.io);
    expect(queries.asked()).toBe(4);
    expect(out.stdout()).toContain(
      '⚠ salesforce: 2 customer key(s) held by several Contacts: 55********678 (2 Contacts, WhatsApp_Number__c), 55********321 (stored in two forms); the bridge uses the first created',
    );
    expect(out.stdout()).not.toContain('5521912345678');
  });

  it('relays a Genesys 403 naming the permission, and an unknown API version', async () => {
    nockSalesforce(null);
    const forbidden = errorBody(
      403,
      'missing.any.permissions',
      'Unable to perform the requested action. You are missing the following permission(s): routing:wrapupCode:view',
    );
    nockGenesys({ wrapupcodes: [403, forbidden] });
    const out = captureIo();
    expect(await doctor([], { ...env(), SF_API_VERSION: '69.0' }, out.io)).toBe(1);
    expect(out.stdout()).toContain(
      '✖ salesforce: API v69.0 is not available on this org (newest v68.0); objects and fields not checked\n    fix: set SF_API_VERSION=68.0',
    );
    expect(out.stdout()).toMatch(
      /✖ genesys: wrap-up codes \(wrap-up names\): HTTP 403: .*routing:wrapupCode:view\n {4}fix: give the OAuth client a role with routing:wrapupCode:view/,
    );
  });

  it('fails a Redis it cannot reach and a Salesforce token that is refused', async () => {
    nock(SF_LOGIN_URL).post(TOKEN_PATH).reply(400, {
      error: 'invalid_grant',
      error_description: 'user hasn’t approved this consumer',
    });
    const out = captureIo();
    const unreachable = {
      ...env(),
      REDIS_URL: 'redis://127.0.0.1:1',
      GENESYS_CLIENT_ID: '',
      GENESYS_CLIENT_SECRET: '',
    };
    expect(await doctor([], unreachable, out.io)).toBe(1);
    expect(out.stdout()).toMatch(/✖ redis: cannot reach redis:\/\/127\.0\.0\.1:1: /);
    expect(out.stdout()).toMatch(/✖ salesforce: no token \(jwt flow\): .*approved this consumer/);
    expect(out.stdout()).toContain('✔ genesys: not configured');
  });

  it('tells a network failure (refused, DNS, TLS) from refused credentials', async () => {
    // Salesforce's login host is one no test mocks: nock refuses the connection
    // as a socket would (ENETUNREACH); the kinds of failure (refused, DNS,
    // TLS…) are told apart in test/cli/doctor-network.test.ts. Genesys' login
    // fails with an expired certificate.
    nock('https://login.mypurecloud.ie')
      .post('/oauth/token')
      .replyWithError(
        Object.assign(new TypeError('fetch failed'), {
          cause: Object.assign(new Error('certificate has expired'), { code: 'CERT_HAS_EXPIRED' }),
        }),
      );
    const out = captureIo();
    expect(await doctor([], { ...env(), SF_LOGIN_URL: 'https://login.invalid' }, out.io)).toBe(1);
    expect(out.stdout()).toMatch(
      /✖ salesforce: cannot reach login\.invalid: network error \(ENETUNREACH\) \(a network problem, not the credentials\)\n {4}fix: check DNS, the firewall/,
    );
    expect(out.stdout()).toMatch(
      /✖ genesys: cannot reach login\.mypurecloud\.ie: TLS: CERT_HAS_EXPIRED .*\n {4}fix: the certificate .*NODE_EXTRA_CA_CERTS/,
    );
    expect(out.stdout()).not.toMatch(/check SF_CLIENT_ID|check GENESYS_CLIENT_ID/);
  });
});
