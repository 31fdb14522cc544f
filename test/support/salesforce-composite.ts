import nock from 'nock';
import { createSalesforceStore } from '../../src/adapters/salesforce/index.ts';
import type { UnknownCustomerMode } from '../../src/adapters/salesforce/commit-plan.salesforce.ts';
import {
  compositeBody,
  DATA_PATH,
  fakeRecorder,
  INSTANCE_URL,
  jwtConfig,
  LIMIT_HEADERS,
  silentLogger,
  soqlOf,
  subrequestsOf,
  type CompositeSubrequest,
} from './salesforce-nock.ts';
import { queryBody } from './salesforce-rows.ts';

/** What Salesforce holds, as rows the composite read returns (see salesforce-rows.ts). */
export interface ReadRows {
  contacts?: unknown[];
  history?: unknown[];
  orphans?: unknown[];
}

/** Records one composite POST: its subrequests, and for queries their decoded SOQL. */
export interface CapturedComposite {
  subrequests: CompositeSubrequest[];
  soql: Record<string, string>;
}

// nock 15 calls a reply function with the request only, so the body is taken
// from the body matcher (which sees it parsed) and answered from a closure.

/**
 * A composite read: every query subrequest answers 200 with a query result
 * (reference §2.4); the referenceId prefix (`contacts_`, `history_`,
 * `orphans_`) picks the rows.
 */
export function mockCompositeRead(rows: ReadRows, captured: CapturedComposite[]) {
  let body: unknown;
  return nock(INSTANCE_URL)
    .post(`${DATA_PATH}/composite`, (b) => ((body = b), true))
    .reply(
      200,
      () => {
        const subrequests = subrequestsOf(body);
        const soql = Object.fromEntries(subrequests.map((s) => [s.referenceId, soqlOf(s.url)]));
        captured.push({ subrequests, soql });
        return compositeBody(
          subrequests.map((s) => {
            const kind = s.referenceId.split('_')[0] as keyof ReadRows;
            return { referenceId: s.referenceId, body: queryBody(rows[kind] ?? []) };
          }),
        );
      },
      LIMIT_HEADERS,
    );
}

/** Default per-record success, shaped like collections-upsert-response.json. */
function allSucceed(records: unknown[], prefix: string) {
  return records.map((_, i) => ({
    id: `${prefix}${String(i).padStart(3, '0')}`,
    success: true,
    errors: [],
    created: false,
  }));
}

/**
 * A composite write of sObject Collections subrequests: each answers 200 with
 * one result per record, unless `bodies` overrides a referenceId's body.
 */
export function mockCompositeWrite(
  captured: CapturedComposite[],
  bodies: Record<string, { body: unknown; httpStatusCode?: number }> = {},
) {
  let body: unknown;
  return nock(INSTANCE_URL)
    .post(`${DATA_PATH}/composite`, (b) => ((body = b), true))
    .reply(
      200,
      () => {
        const subrequests = subrequestsOf(body);
        captured.push({ subrequests, soql: {} });
        return compositeBody(
          subrequests.map((s) => {
            const override = bodies[s.referenceId];
            return override
              ? { referenceId: s.referenceId, ...override }
              : {
                  referenceId: s.referenceId,
                  body: allSucceed(s.body?.records ?? [], 'a01xx0000000'),
                };
          }),
        );
      },
      LIMIT_HEADERS,
    );
}

export function salesforceStore(unknownCustomer: UnknownCustomerMode = 'history_only') {
  const recorder = fakeRecorder();
  const store = createSalesforceStore({
    config: jwtConfig(),
    unknownCustomer,
    recorder,
    logger: silentLogger,
  });
  return { store, recorder };
}

/** The records of the subrequest with this referenceId, or undefined when absent. */
export function recordsOf(write: CapturedComposite | undefined, referenceId: string) {
  return write?.subrequests.find((s) => s.referenceId === referenceId)?.body?.records;
}
