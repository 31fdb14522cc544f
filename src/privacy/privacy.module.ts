import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { ErasureTombstones } from '../ports/erasure-tombstones.port.ts';
import type { HttpRoute, OpenApiPart } from '../ports/http-route.port.ts';
import type { PersonalDataStore } from './personal-data.port.ts';
import { privacyRoute } from './privacy.http.ts';
import { privacyOpenApi } from './privacy.openapi.ts';
import { PrivacyService, type PrivacyDeps } from './privacy.service.ts';
import { startRetentionSchedule } from './retention.schedule.ts';

export interface PrivacyModuleDeps {
  readonly stores: readonly PersonalDataStore[];
  readonly tombstones: ErasureTombstones | null;
  readonly lockCustomer: PrivacyDeps['lockCustomer'];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly historyRetentionDays: number;
}

/** Customers' data rights: export, erase, retention (CLI, HTTP and the worker's daily pass). */
export interface PrivacyModule {
  readonly service: PrivacyService;
  readonly routes: readonly HttpRoute[];
  /** The daily retention pass the worker runs. */
  retention(): Promise<unknown>;
  /** Starts the daily pass in a worker; `claim` lets one worker a day run it. Returns stop. */
  startRetention(claim: (day: string) => Promise<boolean>): () => void;
}

export function createPrivacyModule(deps: PrivacyModuleDeps): PrivacyModule {
  const service = new PrivacyService({
    stores: deps.stores,
    tombstones: deps.tombstones,
    lockCustomer: deps.lockCustomer,
    clock: deps.clock,
    logger: deps.logger,
    historyRetentionMs: deps.historyRetentionDays * 86_400_000,
    onRequest: (type, outcome) => deps.metrics.privacyRequests.inc({ type, outcome }),
  });
  const retention = () => service.purge({ dryRun: false }, 'worker');
  return {
    service,
    routes: [privacyRoute(service)],
    retention,
    startRetention: (claim) =>
      startRetentionSchedule({ run: retention, claim, clock: deps.clock, logger: deps.logger }),
  };
}

export const privacyModuleOpenApi = (): OpenApiPart => privacyOpenApi();
