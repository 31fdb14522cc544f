// An in-process Salesforce REST emulator for benchmarks and tests: exactly the
// calls the bridge's adapter makes (src/adapters/salesforce/), in the shapes of
// ../shared/reference/salesforce.md §2 — OAuth token, SOQL queries, sObject
// Collections upsert by external id and update by id, Composite, /limits, Bulk API 2.0
// hard-delete jobs (bulk.ts) — over
// in-memory Contact, Case and Conversation_Ownership__c tables from force-app/.
// Parts: schema.ts (fields), org.ts (tables, validation), soql-parser.ts and
// soql.ts (queries), rest.ts (Collections, Composite), faults.ts (bad days).
// Every API call is counted like Salesforce counts it (one per HTTP request,
// one per Composite request, the token request free) and reported in
// `Sforce-Limit-Info`; every record write is logged with its time. DateTime
// fields keep whole seconds, as Salesforce's do.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { bulkIngest, type BulkOptions } from './bulk.ts';
import { Faults, INVALID_SESSION } from './faults.ts';
import { Org } from './org.ts';
import { apiError, collections, composite, NOT_FOUND, type Answer } from './rest.ts';
import type { SRecord } from './schema.ts';
import { runSoql, SoqlError } from './soql.ts';

export interface SeedOptions {
  readonly contacts: number;
  /** The digits-only WhatsApp number of Contact `i`. @defaultValue seedPhone */
  readonly phone?: (i: number) => string;
  /** Every n-th Contact gets an open Case (0 = none). @defaultValue 3 */
  readonly openCaseEvery?: number;
  /** Every n-th Contact also gets an older closed Case (0 = none). @defaultValue 5 */
  readonly closedCaseEvery?: number;
}

export interface EmulatorOptions {
  readonly seed?: SeedOptions;
  /** When set, the token endpoint checks them. */
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Added before every API answer, to model the network and the org. @defaultValue 0 */
  readonly latencyMs?: number;
  /** Rows per query page before `nextRecordsUrl`. @defaultValue 2000 */
  readonly pageSize?: number;
  /** Bulk API 2.0 ingest jobs (bulk.ts). */
  readonly bulk?: BulkOptions;
}

export interface WriteEntry {
  /** `performance.now()` when the record was written. */
  readonly at: number;
  readonly object: string;
  readonly id: string;
  /** The stored record after the write (DateTime fields as epoch ms, truncated to the second). */
  readonly record: Readonly<SRecord>;
}

export interface SalesforceEmulator {
  readonly url: string;
  /** API calls so far (what Salesforce counts against the daily allocation). */
  readonly calls: number;
  readonly callsByKind: Readonly<Record<string, number>>;
  /** The most API calls that were in flight at once (Salesforce caps only calls of 20 s or more, at 25). */
  readonly maxInFlight: number;
  readonly org: Org;
  /** Contact, Case and Conversation_Ownership__c rows by Id. */
  readonly tables: ReadonlyMap<string, Map<string, SRecord>>;
  /** Soft-deleted records by Id; hard-deleted records never land here. */
  readonly recycleBin: ReadonlyMap<string, { readonly object: string; readonly record: SRecord }>;
  /** Bulk API 2.0 ingest jobs by id (operation, object, state, counts). */
  readonly bulkJobs: ReturnType<typeof bulkIngest>['jobs'];
  readonly writes: readonly WriteEntry[];
  /** Fault injection (faults.ts): an outage, expired sessions, row locks, lost answers. */
  readonly faults: Faults;
  /** Sets the API calls the org's other integrations have made in the rolling day. */
  useElsewhere(calls: number): void;
  /** Invalidates every session: the next call answers 401 INVALID_SESSION_ID. */
  revokeSessions(): void;
  close(): Promise<void>;
}

/** The seeded Contacts' numbers: US numbers 1 415 557 xxxx, digits only. */
export const seedPhone = (i: number) => String(14155570000 + i);
export const API_LIMIT = 100_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startSalesforceEmulator(
  options: EmulatorOptions = {},
): Promise<SalesforceEmulator> {
  const org = new Org();
  const writes: WriteEntry[] = [];
  const callsByKind: Record<string, number> = {};
  const sessions = new Set<string>();
  const cursors = new Map<string, Record<string, unknown>[]>();
  const pageSize = options.pageSize ?? 2000;
  const faults = new Faults();
  const locked = () => faults.lockWrite();
  let calls = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  /** Calls other integrations of the org made today (the limit is the org's). */
  let usedElsewhere = 0;
  let locators = 0;
  let url = '';

  seed(org, options.seed);
  const bulk = bulkIngest(org, options.bulk);

  const logWrite = (object: string, id: string) =>
    writes.push({
      at: performance.now(),
      object,
      id,
      record: { ...org.tables.get(object)!.get(id)! },
    });

  const page = (dataPath: string, rows: Record<string, unknown>[], total: number): Answer => {
    const rest = rows.slice(pageSize);
    const body: Record<string, unknown> = {
      totalSize: total,
      done: rest.length === 0,
      records: rows.slice(0, pageSize),
    };
    if (rest.length > 0) {
      const next = `01gxx${String((locators += 1)).padStart(10, '0')}-${total - rest.length}`;
      cursors.set(next, rest);
      body.nextRecordsUrl = `${dataPath}/query/${next}`;
    }
    return { status: 200, body };
  };

  const query = (dataPath: string, soql: string | null): Answer => {
    if (!soql) return apiError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    try {
      const rows = runSoql(org, soql, dataPath);
      return page(dataPath, rows, rows.length);
    } catch (caught) {
      if (caught instanceof SoqlError) return apiError(400, caught.errorCode, caught.message);
      throw caught;
    }
  };

  /** One REST operation, whether it came over HTTP or inside a Composite request. */
  async function dispatch(
    method: string,
    target: string,
    body: unknown,
    contentType = 'application/json',
  ): Promise<Answer> {
    const parsed = new URL(target, 'http://emulator');
    const match = /^(\/services\/data\/v\d+\.\d)(\/.*)$/.exec(parsed.pathname);
    if (!match) return NOT_FOUND;
    const [, dataPath, rest] = match as unknown as [string, string, string];
    const route = `${method} ${rest.replace(/\/$/, '')}`;
    if (route === 'GET /query') return query(dataPath, parsed.searchParams.get('q'));
    const more = /^GET \/query\/([\w-]+)$/.exec(route);
    if (more) {
      const rows = cursors.get(more[1]!);
      if (!rows) return apiError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
      cursors.delete(more[1]!);
      return page(dataPath, rows, Number(more[1]!.split('-')[1]) + rows.length);
    }
    if (route === 'PATCH /composite/sobjects') return collections(org, body, logWrite, locked);
    const upsert = /^PATCH \/composite\/sobjects\/(\w+)\/(\w+)$/.exec(route);
    if (upsert) return collections(org, body, logWrite, locked, upsert[1], upsert[2]);
    if (route === 'POST /composite') return composite(dataPath, body, dispatch);
    const apiVersion = dataPath.slice('/services/data/v'.length);
    if (route === 'POST /jobs/ingest') return bulk.create(apiVersion, String(body), contentType);
    const job = /^GET \/jobs\/ingest\/(\w+)$/.exec(route);
    if (job) return bulk.get(apiVersion, job[1]!);
    if (route === 'GET /limits') {
      return {
        status: 200,
        body: {
          DailyApiRequests: { Max: API_LIMIT, Remaining: API_LIMIT - calls - usedElsewhere },
        },
      };
    }
    return NOT_FOUND;
  }

  /** What one top-level request counts as, for `callsByKind`. */
  const kindOf = (path: string, body: unknown): string => {
    if (path.endsWith('/composite')) {
      const methods = new Set(
        ((body as { compositeRequest?: Array<{ method?: string }> })?.compositeRequest ?? []).map(
          (s) => s.method,
        ),
      );
      return methods.size === 1 && methods.has('GET')
        ? 'composite_read'
        : methods.has('GET')
          ? 'composite_mixed'
          : 'composite_write';
    }
    if (/\/query\/[\w-]+$/.test(path)) return 'query_more';
    if (path.endsWith('/jobs/ingest')) return 'bulk_job_create';
    if (/\/jobs\/ingest\/\w+$/.test(path)) return 'bulk_job_state';
    const name = /\/(query|composite\/sobjects|limits)/.exec(path)?.[1];
    return name === 'composite/sobjects' ? 'collections' : (name ?? 'other');
  };

  const token = (form: URLSearchParams): Answer => {
    const grant = form.get('grant_type');
    if (grant !== 'client_credentials' && grant !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant type not supported' },
      };
    }
    const wrongClient =
      options.clientId !== undefined &&
      grant === 'client_credentials' &&
      (form.get('client_id') !== options.clientId ||
        form.get('client_secret') !== options.clientSecret);
    if (wrongClient)
      return {
        status: 400,
        body: { error: 'invalid_client', error_description: 'invalid client credentials' },
      };
    const accessToken = `00Dxx0000001gPL!emulator.${sessions.size + 1}.${Math.random().toString(36).slice(2)}`;
    sessions.add(accessToken);
    return {
      status: 200,
      body: {
        access_token: accessToken,
        signature: 'ZW11bGF0b3I=',
        scope: 'api',
        instance_url: url,
        id: `${url}/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS`,
        token_type: 'Bearer',
        issued_at: String(Date.now()),
      },
    };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const send = (answer: Answer, headers: Record<string, string> = {}) => {
      res.writeHead(answer.status, {
        'content-type': 'application/json;charset=UTF-8',
        ...headers,
      });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    };
    const path = req.url ?? '/';
    if (req.method === 'POST' && path.split('?')[0] === '/services/oauth2/token')
      return send(token(new URLSearchParams(raw)));
    if (!path.startsWith('/services/data/')) return send(NOT_FOUND);
    const bearer = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!bearer || !sessions.has(bearer)) return send(INVALID_SESSION);
    // Neither a 503 nor a 401 reaches the org, so neither is counted.
    const fault = faults.beforeCall();
    if (fault === INVALID_SESSION) sessions.delete(bearer);
    if (fault) return send(fault);
    // Bulk API 2.0 multipart jobs carry their CSV as form data; every other body is JSON.
    const contentType = req.headers['content-type'] ?? 'application/json';
    const multipart = /^multipart\/form-data/i.test(contentType);
    let body: unknown;
    try {
      body = raw === '' ? undefined : multipart ? raw : JSON.parse(raw);
    } catch {
      return send(apiError(400, 'JSON_PARSER_ERROR', 'The request body is not valid JSON'));
    }
    calls += 1;
    const kind = kindOf(path.split('?')[0]!.replace(/\/$/, ''), body);
    callsByKind[kind] = (callsByKind[kind] ?? 0) + 1;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const answer = await dispatch(req.method ?? 'GET', path, body, contentType);
    if (options.latencyMs) await sleep(options.latencyMs);
    inFlight -= 1;
    // The org did the work (and counted it); only the answer goes missing.
    if (faults.loseAnswer()) return void req.socket.destroy();
    send(answer, { 'Sforce-Limit-Info': `api-usage=${calls + usedElsewhere}/${API_LIMIT}` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((caught: unknown) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify([{ message: String(caught), errorCode: 'UNKNOWN_EXCEPTION' }]));
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    get calls() {
      return calls;
    },
    callsByKind,
    get maxInFlight() {
      return maxInFlight;
    },
    org,
    tables: org.tables,
    recycleBin: org.recycleBin,
    bulkJobs: bulk.jobs,
    writes,
    faults,
    useElsewhere: (n: number) => void (usedElsewhere = n),
    revokeSessions: () => sessions.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function seed(org: Org, options: SeedOptions | undefined): void {
  if (!options) return;
  const phone = options.phone ?? seedPhone;
  const openEvery = options.openCaseEvery ?? 3;
  const closedEvery = options.closedCaseEvery ?? 5;
  for (let i = 0; i < options.contacts; i += 1) {
    const ContactId = org.seed('Contact', {
      LastName: `Customer ${i}`,
      WhatsApp_Number__c: phone(i),
    });
    if (closedEvery > 0 && i % closedEvery === 0) {
      org.seed('Case', {
        ContactId,
        Subject: 'Earlier question',
        Status: 'Closed',
        IsClosed: true,
      });
    }
    if (openEvery > 0 && i % openEvery === 0) {
      org.seed('Case', { ContactId, Subject: 'WhatsApp enquiry', Status: 'New', IsClosed: false });
    }
  }
}
