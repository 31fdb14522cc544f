import type { PolicyConfig } from '../domain/routing-policy.ts';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Clock } from '../ports/clock.port.ts';
import type { CustomerCache } from '../ports/customer-cache.port.ts';
import type { HttpRoute, OpenApiPart } from '../ports/http-route.port.ts';
import type { OwnershipStore } from '../ports/ownership-store.port.ts';
import type { AvailabilitySource } from './availability.port.ts';
import { lookupRoutes } from './lookup.http.ts';
import { lookupOpenApi } from './lookup.openapi.ts';
import { LookupService } from './lookup.service.ts';

export interface RoutingModuleDeps {
  readonly store: OwnershipStore;
  readonly cache: CustomerCache;
  readonly availability: AvailabilitySource;
  readonly clock: Clock;
  readonly policy: PolicyConfig;
  /** The lookup always answers within this many ms (DESIGN §2.4). */
  readonly deadlineMs: number;
  readonly metrics: Metrics;
  readonly logger: Logger;
}

/** Route: a WhatsApp address in, a routing decision Architect can act on out. */
export interface RoutingModule {
  readonly lookup: LookupService;
  readonly routes: readonly HttpRoute[];
}

export function createRoutingModule(deps: RoutingModuleDeps): RoutingModule {
  const { logger } = deps;
  const lookup = new LookupService({
    ...deps,
    onStoreError: (error) =>
      logger.warn({ err: error }, 'store read failed; answering crm_unavailable'),
  });
  return { lookup, routes: lookupRoutes({ service: lookup, metrics: deps.metrics, logger }) };
}

/** The routing slice's part of the OpenAPI document. */
export const routingOpenApi = (): OpenApiPart => lookupOpenApi();
