import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import express, { type Express } from 'express';
import type { Logger } from '../observability/logger.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { HttpRoute } from '../ports/http-route.port.ts';
import { apiTokenGuard, requireApiToken } from './auth.middleware.ts';
import { readJson } from './json-body.ts';
import { opsRouter, type ReadinessCheck } from './ops.router.ts';
import {
  errorHandler,
  requestIdOf,
  sendError,
  sendJson,
  sendJsonText,
  sendProblem,
  tagRequestId,
} from './problem.ts';

export interface AppDeps {
  /** The slices' routes, all under `/v1` and behind the API token. */
  readonly routes: readonly HttpRoute[];
  readonly apiTokens: readonly string[];
  /** ADMIN_API_TOKENS: the only tokens admin routes (privacy requests) take. */
  readonly adminTokens?: readonly string[];
  readonly metrics: Metrics;
  readonly logger: Logger;
  readonly readiness: readonly ReadinessCheck[];
  readonly openApi: Record<string, unknown>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The express app, plus the node listener `serve` uses (with the hot-route shortcut). */
export type BridgeApp = Express & { readonly listener: RequestListener };

/**
 * The HTTP shell: builds the app without listening (tests drive it directly;
 * `serve` listens). Open: health, readiness, metrics, OpenAPI. Behind the API
 * token: the slices' routes under `/v1`. Each route only says what it takes and
 * what it answers; reading the input, the token check, and the rendering of
 * answers and errors happen here, the same way for every route.
 */
export function buildApp(deps: AppDeps): BridgeApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Plain `querystring` parsing: no nested objects from `a[b]=c` tricks.
  app.set('query parser', 'simple');
  app.set('trust proxy', true);
  const guard = apiTokenGuard(deps.apiTokens);
  const adminGuard = apiTokenGuard(deps.adminTokens ?? [], { forbidden: deps.apiTokens });

  const serve = (route: HttpRoute, req: IncomingMessage, res: ServerResponse): void => {
    const tokenId = (route.audience === 'admin' ? adminGuard : guard)(req, res);
    if (!tokenId) return;
    const context = { requestId: requestIdOf(res) ?? '', tokenId };
    const handle = (input: unknown) => {
      route.handle(input, context).then(
        (answer) =>
          answer.json === undefined
            ? sendJson(res, answer.status, answer.body)
            : sendJsonText(res, answer.status, answer.json),
        (error: unknown) => sendError(res, error, deps.logger),
      );
    };
    if (route.input.from === 'body') return readJson(req, res, route.input.maxBytes, handle);
    const search = req.url?.split('?')[1] ?? '';
    // A plain object: repeated parameters stay arrays, so the contract refuses them.
    handle({ ...parseQuery(search) });
  };

  const hot = new Map(deps.routes.filter((r) => r.hot).map((r) => [`${r.method} ${r.path}`, r]));
  /**
   * Request id, drain notice, access log. A route the shell answers itself
   * (`tagged`) gets its X-Request-Id with the answer's headers; express's
   * own answers need it set as a header now.
   */
  const prepare = (req: IncomingMessage, res: ServerResponse, tagged: boolean) => {
    const incoming = req.headers['x-request-id'];
    const valid = typeof incoming === 'string' && REQUEST_ID.test(incoming);
    const requestId = valid ? incoming : randomUUID();
    if (tagged) tagRequestId(res, requestId);
    else res.setHeader('X-Request-Id', requestId);
    if (app.locals.draining) res.setHeader('Connection', 'close');
    accessLog(deps.logger, req, res, requestId);
  };
  // First layer: request id, drain notice, and the hot routes, which skip the router.
  app.use((req, res, next) => {
    const route = hot.get(`${req.method} ${req.path}`);
    prepare(req, res, route !== undefined);
    if (route) return serve(route, req, res);
    next();
  });
  // Metrics name queues, outcomes and budgets: on the API port only with a
  // token (Prometheus `authorization`); open on METRICS_PORT instead.
  app.use(
    opsRouter({
      metrics: deps.metrics,
      readiness: deps.readiness,
      openApi: deps.openApi,
      metricsGuard: requireApiToken(deps.apiTokens),
    }),
  );
  for (const route of deps.routes.filter((r) => !r.hot)) {
    const method = route.method === 'GET' ? 'get' : 'post';
    app[method](route.path, (req, res) => serve(route, req, res));
  }
  app.use('/v1', requireApiToken(deps.apiTokens));
  app.use((req, res) =>
    sendProblem(res, 'CB_ERR_NOT_FOUND', `No route for ${req.method} ${req.path}.`),
  );
  app.use(errorHandler(deps.logger));

  // The listener the bridge serves with: a hot route called by its exact URL
  // goes straight to it, everything else through express. Both run the same
  // `serve`; the shortcut only skips express's routing.
  const listener: RequestListener = (req, res) => {
    const route = req.url === undefined ? undefined : hot.get(`${req.method} ${req.url}`);
    if (route) {
      prepare(req, res, true);
      return serve(route, req, res);
    }
    app(req, res);
  };
  return Object.assign(app, { listener });
}

const PROBES = new Set(['/healthz', '/readyz']);
const MAX_LOGGED_PATH = 128;

/**
 * One line per request once it is answered (or abandoned): method, path
 * without the query (which may carry an address), status, milliseconds and
 * request id, with numbers masked like every line. Load balancer probes are
 * logged at debug so they do not drown the rest.
 */
function accessLog(logger: Logger, req: IncomingMessage, res: ServerResponse, requestId: string) {
  // Nothing would be written (LOG_LEVEL above info): no timer, no listener.
  if (!logger.isLevelEnabled('info')) return;
  const started = performance.now();
  res.once('close', () => {
    const path = (req.url ?? '').split('?')[0]!.slice(0, MAX_LOGGED_PATH);
    const line = {
      method: req.method,
      route: path,
      status: res.statusCode,
      ms: Math.round((performance.now() - started) * 10) / 10,
      requestId,
      ...(!res.writableFinished && { aborted: true }),
    };
    if (PROBES.has(path)) logger.debug(line, 'request');
    else logger.info(line, 'request');
  });
}

/** What a process serves on METRICS_PORT (open, for a private network): health, readiness and metrics, no API. */
export function buildOpsApp(deps: Omit<AppDeps, 'routes' | 'apiTokens' | 'logger'>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(opsRouter(deps));
  return app;
}
