import { readFileSync } from 'node:fs';
import * as redisAdapters from './adapters/redis/index.ts';
import type { Config } from './config/config.ts';
import { buildApp, buildOpsApp } from './http/app.ts';
import { buildOpenApi } from './http/openapi.ts';
import { HttpServer } from './http/server.ts';
import { openInfrastructure, type BridgeOverrides, type Infrastructure } from './infrastructure.ts';
import { createReconcileModule, reconcileOpenApi } from './reconcile/reconcile.module.ts';
import { createRoutingModule, routingOpenApi } from './routing/routing.module.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** Which parts run in this process: web (HTTP), worker (reconcile), or both (default). */
export interface BridgeRoles {
  readonly web: boolean;
  readonly worker: boolean;
}

export function routingModule(infra: Infrastructure) {
  const { policy, lookup } = infra.config;
  return createRoutingModule({
    ...infra,
    cache: infra.cache,
    policy,
    deadlineMs: lookup.deadlineMs,
  });
}

export function reconcileModule(infra: Infrastructure) {
  const { config, redis } = infra;
  const { prefix } = config.redis;
  const r = config.reconcile;
  return createReconcileModule({
    store: infra.store,
    conversations: infra.conversations,
    names: infra.names,
    clock: infra.clock,
    metrics: infra.metrics,
    logger: infra.logger,
    queueConnection: redis.get('producer'),
    events: redisAdapters.createEventLog(redis, prefix),
    durability: redisAdapters.createWriteDurability(redis, { prefix, ...config.redis.ack }),
    lock: redisAdapters.createCustomerLock(redis, { prefix, ttlMs: r.customerLockTtlMs }),
    // Read only when a worker starts.
    get cache() {
      return infra.cache;
    },
    settings: {
      ...r,
      prefix,
      eventsMaxBytes: config.http.eventsMaxBytes,
      sweepWindowMs: r.sweepWindowMinutes * 60_000,
      sweepEveryMs: r.sweepEveryMinutes * 60_000,
    },
  });
}

/** The OpenAPI document: the shell's parts and each slice's. */
export function openApiDocument(): Record<string, unknown> {
  return buildOpenApi({ version: VERSION, parts: [routingOpenApi(), reconcileOpenApi()] });
}

/**
 * The composition root: infrastructure, then the routing and reconcile
 * modules, then the HTTP app; `roles` decide whether this process starts the
 * worker. Every entry point (CLI serve/worker, tests, benchmarks, demo) builds
 * the bridge here.
 */
export async function createBridge(
  config: Config,
  overrides: BridgeOverrides = {},
  roles: BridgeRoles = { web: true, worker: true },
) {
  const infra = openInfrastructure(config, overrides);
  const { redis, store, metrics } = infra;
  await redis.open(['cache', 'producer', 'subscriber']);
  const routing = routingModule(infra);
  const reconcile = reconcileModule(infra);
  const readiness = [
    { name: 'redis', check: async () => void (await redis.get('cache').ping()) },
    { name: store.kind, check: () => store.ping() },
  ];
  const openApi = openApiDocument();
  const routes = [...routing.routes, ...reconcile.routes];
  const app = buildApp({ ...infra, routes, apiTokens: config.http.apiTokens, readiness, openApi });
  const http = new HttpServer();
  const { port, host } = config.http;
  let worker: Awaited<ReturnType<typeof reconcile.startWorker>> | null = null;

  /** Stops taking requests and jobs, drains what is in flight, closes connections. */
  const close = async () => {
    try {
      await http.close();
      await worker?.close();
      await reconcile.close();
    } finally {
      await infra.close(); // whatever failed above
    }
  };
  if (roles.worker)
    worker = await reconcile.startWorker(redis.get('worker')).catch(async (error) => {
      await close().catch(() => {});
      throw error;
    });
  return {
    infra,
    routing,
    reconcile,
    app,
    close,
    worker: worker?.worker ?? null,
    /** Listens on config.http (port 0 = any free port); resolves with the bound port. */
    listen: () => http.listen(app.listener, app, port, host),
    /** A worker-only process serves health, readiness and metrics on `opsPort`. */
    listenOps: (opsPort: number) => {
      const ops = buildOpsApp({ metrics, readiness, openApi });
      return http.listen(ops, ops, opsPort, host);
    },
  };
}
export type Bridge = Awaited<ReturnType<typeof createBridge>>;

export type { BridgeOverrides, Infrastructure };
