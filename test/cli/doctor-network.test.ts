import { describe, expect, it } from 'vitest';
import { networkFailure } from '../../src/cli/doctor-network.ts';

/** `fetch failed` with the socket error as its cause, as undici throws it. */
const fetchFailed = (code: string, message = code) =>
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error(message), { code }),
  });

describe('doctor: a network failure is told from a refusal of the credentials', () => {
  it.each([
    [fetchFailed('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'), 'connection refused'],
    [fetchFailed('ENOTFOUND', 'getaddrinfo ENOTFOUND login.example'), 'DNS: host not found'],
    [fetchFailed('EAI_AGAIN'), 'DNS: host not found'],
    [fetchFailed('UND_ERR_CONNECT_TIMEOUT'), 'timed out'],
    [
      Object.assign(new Error('The operation was aborted due to timeout'), {
        name: 'TimeoutError',
      }),
      'timed out',
    ],
    [fetchFailed('CERT_HAS_EXPIRED'), 'TLS: CERT_HAS_EXPIRED'],
    [fetchFailed('UNABLE_TO_VERIFY_LEAF_SIGNATURE'), 'TLS: UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
    [fetchFailed('ERR_TLS_CERT_ALTNAME_INVALID'), 'TLS: ERR_TLS_CERT_ALTNAME_INVALID'],
    [fetchFailed('ECONNRESET'), 'network error (ECONNRESET)'],
  ])('%s → %s', (error, expected) => {
    expect(networkFailure(error)).toBe(expected);
  });

  it('is null for an answer that refused the credentials', () => {
    expect(networkFailure(new Error('invalid_grant: authentication failure'))).toBeNull();
    expect(networkFailure('not an error')).toBeNull();
  });
});
