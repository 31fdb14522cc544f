import { readFileSync } from 'node:fs';
import type { Worker } from 'bullmq';
import { createGenesysAdapters } from './adapters/genesys/index.ts';
import {
  createCustomerLock,
  createEventLog,
  createOwnershipCache,
  RedisConnections,
} from './adapters/redis/index.ts';
import { createSalesforceStore } from './adapters/salesforce/index.ts';
import { createSqliteStore } from './adapters/sqlite/index.ts';
import type { Config } from './config/config.ts';
import { buildApp, buildOpsApp, type BridgeApp } from './http/app.ts';
import { buildOpenApi } from './http/openapi.ts';
import { HttpServer } from './http/server.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { callRecorder, createMetrics, type Metrics } from './observability/metrics.ts';
import { systemClock, type Clock } from './ports/clock.port.ts';
import type { CustomerCache } from './ports/customer-cache.port.ts';
import type { OwnershipStore } from './ports/ownership-store.port.ts';
import { noNames, type ConversationSource } from './reconcile/conversation-source.port.ts';
import type { NameResolver } from './reconcile/conversation-source.port.ts';
import {
  createReconcileModule,
  reconcileOpenApi,
  type ReconcileModule,
} from './reconcile/reconcile.module.ts';
import { unknownAvailability, type AvailabilitySource } from './routing/availability.port.ts';
import {
  createRoutingModule,
  routingOpenApi,
  type RoutingModule,
} from './routing/routing.module.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/** What tests, the demo and benchmarks may put in place of the configured adapters. */
export interface BridgeOverrides {
  readonly logger?: Logger;
  readonly clock?: Clock;
  readonly store?: OwnershipStore;
  readonly availability?: AvailabilitySource;
  readonly conversations?: ConversationSource | null;
}

/** Which parts run in this process: web (HTTP), worker (reconcile), or both (default). */
export interface BridgeRoles {
  readonly web: boolean;
  readonly worker: boolean;
}

/** Connections, the store and the Genesys adapters: each opened once, closed by one `close()`. */
export interface Infrastructure {
  readonly config: Config;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock: Clock;
  readonly redis: RedisConnections;
  readonly store: OwnershipStore;
  readonly availability: AvailabilitySource;
  readonly conversations: ConversationSource | null;
  readonly names: NameResolver;
  /** The ownership cache (memory, then Redis); built on first use. */
  readonly cache: CustomerCache;
  close(): Promise<void>;
}

export function openInfrastructure(
  config: Config,
  overrides: BridgeOverrides = {},
): Infrastructure {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const recorder = callRecorder(metrics);
  const store =
    overrides.store ??
    (config.store.kind === 'sqlite'
      ? createSqliteStore(config.store.path)
      : createSalesforceStore({
          config: config.store,
          unknownCustomer: config.reconcile.unknownCustomer,
          recorder,
          logger: logger.child({ adapter: 'salesforce' }),
        }));
  const genesys = config.genesys.enabled
    ? createGenesysAdapters({
        config: config.genesys,
        recorder,
        logger,
        availabilityCacheSeconds: config.lookup.availabilityCacheSeconds,
      })
    : null;
  const redis = new RedisConnections(config.redis.url);
  let cache: CustomerCache | undefined;
  return {
    config,
    logger,
    metrics,
    clock: overrides.clock ?? systemClock,
    redis,
    store,
    availability: overrides.availability ?? genesys?.availability ?? unknownAvailability,
    conversations:
      overrides.conversations !== undefined
        ? overrides.conversations
        : (genesys?.conversations ?? null),
    names: genesys?.names ?? noNames,
    get cache() {
      cache ??= createOwnershipCache(redis, {
        prefix: config.redis.prefix,
        ttlSeconds: config.lookup.cacheTtlSeconds,
        negativeTtlSeconds: config.lookup.negativeCacheTtlSeconds,
        onResult: (result) => metrics.cacheLookups.inc({ result }),
      });
      return cache;
    },
    close: async () => {
      redis.disconnect();
      await store.close();
    },
  };
}

export function routingModule(infra: Infrastructure): RoutingModule {
  const { config } = infra;
  return createRoutingModule({
    ...infra,
    policy: config.policy,
    deadlineMs: config.lookup.deadlineMs,
  });
}

export function reconcileModule(infra: Infrastructure): ReconcileModule {
  const { config, redis } = infra;
  const { prefix } = config.redis;
  const r = config.reconcile;
  return createReconcileModule({
    queueConnection: redis.get('producer'),
    events: createEventLog(redis, prefix),
    lock: createCustomerLock(redis, { prefix, ttlMs: r.customerLockTtlMs }),
    store: infra.store,
    // Read only when a worker starts: commands that only queue open no cache connections.
    get cache() {
      return infra.cache;
    },
    conversations: infra.conversations,
    names: infra.names,
    clock: infra.clock,
    metrics: infra.metrics,
    logger: infra.logger,
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

export interface Bridge {
  readonly infra: Infrastructure;
  readonly routing: RoutingModule;
  readonly reconcile: ReconcileModule;
  readonly app: BridgeApp;
  readonly worker: Worker | null;
  /** Listens on config.http (port 0 = any free port); resolves with the bound port. */
  listen(): Promise<number>;
  /** A worker-only process serves health, readiness and metrics on `port`. */
  listenOps(port: number): Promise<number>;
  /** Stops taking requests and jobs, drains what is in flight, closes connections. */
  close(): Promise<void>;
}

/**
 * The composition root: infrastructure, then the routing and reconcile
 * modules, then the HTTP app; the roles decide whether this process starts the
 * worker. Every entry point (CLI serve/worker, tests, benchmarks, demo) builds
 * the bridge here.
 */
export async function createBridge(
  config: Config,
  overrides: BridgeOverrides = {},
  roles: BridgeRoles = { web: true, worker: true },
): Promise<Bridge> {
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
  const app = buildApp({
    ...infra,
    routes: [...routing.routes, ...reconcile.routes],
    apiTokens: config.http.apiTokens,
    readiness,
    openApi,
  });
  const http = new HttpServer();
  let running: Awaited<ReturnType<ReconcileModule['startWorker']>> | null = null;

  const close = async () => {
    try {
      await http.close();
      await running?.close();
      await reconcile.close();
    } finally {
      // Connections and the store are released whatever failed above.
      await infra.close();
    }
  };
  if (roles.worker) {
    try {
      running = await reconcile.startWorker(redis.get('worker'));
    } catch (error) {
      await close().catch(() => {});
      throw error;
    }
  }
  const { port, host } = config.http;
  return {
    infra,
    routing,
    reconcile,
    app,
    worker: running?.worker ?? null,
    listen: () => http.listen(app.listener, app, port, host),
    listenOps: (opsPort) => {
      const ops = buildOpsApp({ metrics, readiness, openApi });
      return http.listen(ops, ops, opsPort, host);
    },
    close,
  };
}
