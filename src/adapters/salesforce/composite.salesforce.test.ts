import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/support/salesforce-nock.ts';
import { BridgeError } from '../../errors/catalogue.ts';
import { collectionOutcomes, CompositeResponse, subrequestError } from './composite.salesforce.ts';
import { recordFailure, requestFailure } from './errors.salesforce.ts';

describe('composite responses (documented shapes)', () => {
  it('parses composite-response.json and maps each record of a collections subrequest', () => {
    const response = CompositeResponse.parse(fixture('composite-response.json'));
    const [collection, halted] = response.compositeResponse;
    expect(collectionOutcomes(collection, 2)).toEqual([
      { ok: true, id: '001R00000066cndIAA' },
      {
        ok: false,
        failure: {
          code: 'CB_ERR_CRM_REJECTED',
          salesforceCode: 'DUPLICATES_DETECTED',
          message: 'Use one of these records?',
          retryable: false,
          unavailable: false,
        },
      },
    ]);
    // A rolled-back subrequest (400, PROCESSING_HALTED) fails every record, retryably.
    const outcomes = collectionOutcomes(halted, 3);
    expect(outcomes).toHaveLength(3);
    expect(outcomes[0]).toMatchObject({
      ok: false,
      failure: { salesforceCode: 'PROCESSING_HALTED', retryable: true },
    });
  });

  it('reads per-record statusCode from the partial-failure fixture', () => {
    const entry = {
      referenceId: 'history',
      httpStatusCode: 200,
      body: fixture('collections-upsert-partial-failure.json'),
    };
    expect(collectionOutcomes(entry, 2)[1]).toEqual({
      ok: false,
      failure: {
        code: 'CB_ERR_CRM_REJECTED',
        salesforceCode: 'MALFORMED_ID',
        message: 'Contact ID: id value of incorrect type: 001xx0000004GxEAAU',
        retryable: false,
        unavailable: false,
      },
    });
  });

  it('turns a subrequest error body into a coded error', () => {
    const entry = {
      referenceId: 'cases',
      httpStatusCode: 400,
      body: fixture('error-malformed-id.json'),
    };
    const error = subrequestError(entry);
    expect(error.errorCode).toBe('MALFORMED_ID');
    expect(collectionOutcomes(entry, 1)[0]).toMatchObject({
      ok: false,
      failure: { retryable: false },
    });
  });

  it('fails records retryably when the result is missing or the count does not match', () => {
    expect(collectionOutcomes(undefined, 1)[0]).toMatchObject({
      ok: false,
      failure: { retryable: true },
    });
    const short = {
      referenceId: 'history',
      httpStatusCode: 200,
      body: fixture('collections-upsert-response.json'),
    };
    expect(collectionOutcomes(short, 3)[0]).toMatchObject({
      ok: false,
      failure: { retryable: true },
    });
  });
});

describe('failure classification', () => {
  it('retries lock contention, duplicate-value races and limits per record', () => {
    expect(recordFailure('UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access').retryable).toBe(
      true,
    );
    expect(recordFailure('DUPLICATE_VALUE', 'duplicate value found').retryable).toBe(true);
    expect(recordFailure('REQUEST_LIMIT_EXCEEDED', 'limit').code).toBe('CB_ERR_CRM_LIMIT');
    expect(recordFailure('INVALID_FIELD', 'No such column').retryable).toBe(false);
  });

  it('maps request-level errors: limits and outages retry, bad requests do not', () => {
    const httpError = (errorCode: string) =>
      Object.assign(new Error('x'), { name: errorCode, errorCode });
    expect(requestFailure(httpError('REQUEST_LIMIT_EXCEEDED'))).toMatchObject({
      code: 'CB_ERR_CRM_LIMIT',
      retryable: true,
      unavailable: true,
    });
    expect(requestFailure(httpError('ERROR_HTTP_503'))).toMatchObject({
      code: 'CB_ERR_CRM_UNAVAILABLE',
      retryable: true,
      unavailable: true,
    });
    expect(requestFailure(new TypeError('fetch failed'))).toMatchObject({
      retryable: true,
      unavailable: true,
    });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(requestFailure(new Error('request failed', { cause: reset }))).toMatchObject({
      unavailable: true,
    });
    const refused = new Error(
      'Unable to refresh session due to: more than 3 session refreshes in a minute; not retrying',
    );
    expect(requestFailure(refused)).toMatchObject({ retryable: true, unavailable: true });
    // The org's own fault with this request, or an unknown one: no outage.
    expect(requestFailure(httpError('ERROR_HTTP_500'))).toMatchObject({
      retryable: true,
      unavailable: false,
    });
    expect(requestFailure(httpError('INVALID_FIELD'))).toMatchObject({
      code: 'CB_ERR_CRM_REJECTED',
      retryable: false,
      unavailable: false,
    });
    expect(requestFailure(new BridgeError('CB_ERR_VALIDATION', 'bad literal'))).toMatchObject({
      retryable: false,
    });
  });
});
