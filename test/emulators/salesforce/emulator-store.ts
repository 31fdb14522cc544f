import { createSalesforceStore } from '../../../src/adapters/salesforce/index.ts';
import type { CallRecorder } from '../../../src/observability/metrics.ts';
import { fakeRecorder, silentLogger } from '../../support/salesforce-nock.ts';
import type { SalesforceEmulator } from './emulator.ts';

/**
 * The real Salesforce store (jsforce, client credentials) pointed at an
 * emulator started with these credentials: the one setup the emulator tests
 * and property tests share.
 */
export function storeOnEmulator(
  emulator: SalesforceEmulator,
  credentials: { clientId: string; clientSecret: string },
  recorder: CallRecorder = fakeRecorder(),
  apiReservePercent = 10,
) {
  return createSalesforceStore({
    config: {
      kind: 'salesforce',
      loginUrl: emulator.url,
      apiVersion: '68.0',
      vipField: 'Continuity_VIP__c',
      apiReservePercent,
      auth: { flow: 'client_credentials', ...credentials },
    },
    unknownCustomer: 'history_only',
    recorder,
    logger: silentLogger,
  });
}
