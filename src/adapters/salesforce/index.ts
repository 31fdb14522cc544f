import type { Logger } from '../../observability/logger.ts';
import type { CallRecorder } from '../../observability/metrics.ts';
import type { OwnershipStore } from '../../ports/ownership-store.port.ts';
import type { UnknownCustomerMode } from './commit-plan.salesforce.ts';
import { createSalesforceClient, type SalesforceStoreConfig } from './client.salesforce.ts';
import { SalesforceOwnershipStore } from './ownership-store.salesforce.ts';
import { ApiReserve } from './api-reserve.salesforce.ts';

export interface SalesforceStoreOptions {
  /** `config.store` when its kind is `salesforce`. */
  readonly config: SalesforceStoreConfig;
  /** `config.reconcile.unknownCustomer`. */
  readonly unknownCustomer: UnknownCustomerMode;
  readonly recorder: CallRecorder;
  readonly logger: Logger;
}

/**
 * The Salesforce OwnershipStore. Nothing touches the network until the first
 * call, which opens the session (JWT bearer or client credentials).
 */
export function createSalesforceStore(options: SalesforceStoreOptions): OwnershipStore {
  const reserve = new ApiReserve(
    options.config.apiReservePercent ?? 10,
    options.recorder,
    options.logger.child({ component: 'salesforce-api-reserve' }),
  );
  const client = createSalesforceClient({
    config: options.config,
    recorder: options.recorder,
    logger: options.logger,
    onBudget: (remaining, limit) => reserve.observe(remaining, limit),
  });
  const store = new SalesforceOwnershipStore({
    client,
    vipField: options.config.vipField,
    unknownCustomer: options.unknownCustomer,
    recorder: options.recorder,
    logger: options.logger,
    reserve,
  });
  reserve.refreshWith(() => store.ping());
  return store;
}
