import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LookupService } from '../routing/lookup.service.ts';
import { requireApiToken } from './auth.middleware.ts';
import { lookupRouter } from './lookup.router.ts';
import { opsRouter, type ReadinessCheck } from './ops.router.ts';
import { errorHandler, sendProblem } from './problem.ts';

export interface AppDeps {
  readonly lookup: LookupService;
  readonly apiTokens: readonly string[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  readonly openApi: Record<string, unknown>;
  /** Further authenticated routers (events). */
  readonly routers?: readonly Router[];
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Builds the HTTP app without listening (tests drive it directly; `serve`
 * listens). Open: health, readiness, metrics, OpenAPI. Behind the API token:
 * everything under `/v1`.
 */
export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Plain `querystring` parsing: no nested objects from `a[b]=c` tricks.
  app.set('query parser', 'simple');
  app.set('trust proxy', true);

  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    if (req.app.locals.draining) res.set('Connection', 'close');
    next();
  });

  const auth = requireApiToken(deps.apiTokens);
  // The lookup is the hot path (Architect waits on it): its router comes first.
  app.use(lookupRouter(deps.lookup, auth, deps.metrics, deps.logger));
  app.use(opsRouter({ metrics: deps.metrics, readiness: deps.readiness, openApi: deps.openApi }));
  app.use('/v1', auth);
  for (const router of deps.routers ?? []) app.use(router);

  app.use((req, res) =>
    sendProblem(res, 'CB_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}.`),
  );
  app.use(errorHandler(deps.logger));
  return app;
}
