import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type Express, type Router } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { LookupService } from '../routing/lookup.service.ts';
import { apiTokenGuard, requireApiToken } from './auth.middleware.ts';
import { LOOKUP_PATH, lookupRoutes } from './lookup.router.ts';
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
/** The express app, plus the node listener `serve` uses (with the lookup shortcut). */
export type BridgeApp = Express & { readonly listener: RequestListener };

export function buildApp(deps: AppDeps): BridgeApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Plain `querystring` parsing: no nested objects from `a[b]=c` tricks.
  app.set('query parser', 'simple');
  app.set('trust proxy', true);

  const guard = apiTokenGuard(deps.apiTokens);
  const lookup = lookupRoutes({
    service: deps.lookup,
    guard,
    metrics: deps.metrics,
    logger: deps.logger,
  });
  const prepare = (req: IncomingMessage, res: ServerResponse) => {
    const incoming = req.headers['x-request-id'];
    const valid = typeof incoming === 'string' && REQUEST_ID.test(incoming);
    res.setHeader('X-Request-Id', valid ? incoming : randomUUID());
    if (app.locals.draining) res.setHeader('Connection', 'close');
  };
  // First layer: request id, drain notice, and the lookup itself, which is the
  // path Architect waits on and so skips the router below.
  app.use((req, res, next) => {
    prepare(req, res);
    if (req.path === LOOKUP_PATH) {
      if (req.method === 'POST') return lookup.post(req, res);
      if (req.method === 'GET') return lookup.get(req, res);
    }
    next();
  });
  app.use(opsRouter({ metrics: deps.metrics, readiness: deps.readiness, openApi: deps.openApi }));
  app.use('/v1', requireApiToken(deps.apiTokens));
  for (const router of deps.routers ?? []) app.use(router);

  app.use((req, res) =>
    sendProblem(res, 'CB_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}.`),
  );
  app.use(errorHandler(deps.logger));

  // The listener the bridge serves with: a POST lookup (what Architect waits on)
  // goes straight to its handler, everything else through express. Both run the
  // same handler; the shortcut only skips express's routing.
  const listener: RequestListener = (req, res) => {
    if (req.method === 'POST' && req.url === LOOKUP_PATH) {
      prepare(req, res);
      return lookup.post(req, res);
    }
    app(req, res);
  };
  return Object.assign(app, { listener });
}
