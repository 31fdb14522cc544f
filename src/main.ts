import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import express, { type Express } from 'express';
import type { Config } from './config/config.ts';
import { buildOpenApi } from './contracts/openapi.ts';
import { createGenesysAdapters, type GenesysAdapters } from './adapters/genesys/index.ts';
import { RedisCustomerCache } from './adapters/redis/customer-cache.redis.ts';
import { NearCache } from './adapters/redis/near-cache.ts';
import { RedisCustomerLock } from './adapters/redis/customer-lock.redis.ts';
import { RedisEventLog } from './adapters/redis/event-log.redis.ts';
import { createRedis, waitUntilReady } from './adapters/redis/redis-connections.ts';
import { createSalesforceStore } from './adapters/salesforce/index.ts';
import { SqliteOwnershipStore } from './adapters/sqlite/ownership-store.sqlite.ts';
import { buildApp, type BridgeApp } from './http/app.ts';
import { eventsRouter } from './http/events.router.ts';
import { opsRouter } from './http/ops.router.ts';
import { drainServer, startServer } from './http/server.ts';
import { createReconcileQueue, SWEEP_JOB } from './jobs/reconcile.queue.ts';
import { createReconcileWorker } from './jobs/reconcile.worker.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import {
  callRecorder,
  createMetrics,
  type CallRecorder,
  type Metrics,
} from './observability/metrics.ts';
import { unknownAvailability, type AvailabilitySource } from './ports/availability.port.ts';
import { systemClock, type Clock } from './ports/clock.port.ts';
import { noNames, type ConversationSource } from './ports/conversation-source.port.ts';
import type { OwnershipStore } from './ports/ownership-store.port.ts';
import { CommitBatcher } from './reconcile/commit-batcher.ts';
import { IngestService } from './reconcile/ingest.service.ts';
import { sweepEndedConversations } from './reconcile/sweep.ts';
import { LookupService } from './routing/lookup.service.ts';

export const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

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

export interface Bridge {
  readonly config: Config;
  readonly app: BridgeApp;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly store: OwnershipStore;
  readonly redis: { readonly cache: Redis; readonly producer: Redis };
  readonly lookup: LookupService;
  readonly ingest: IngestService;
  readonly queue: ReturnType<typeof createReconcileQueue>;
  readonly genesys: GenesysAdapters | null;
  readonly worker: Worker | null;
  /** Listens on config.http (port 0 = any free port); resolves with the bound port. */
  listen(): Promise<number>;
  /**
   * A worker-only process serves health, readiness and metrics (no API) on
   * `port`, so its job counters can be scraped too. Resolves with the bound port.
   */
  listenOps(port: number): Promise<number>;
  /** Starts the worker (and the sweep schedule when Genesys is configured). */
  startWorker(): Promise<void>;
  /** Stops taking requests and jobs, drains what is in flight, closes connections. */
  close(): Promise<void>;
}

function createStore(config: Config, recorder: CallRecorder, logger: Logger): OwnershipStore {
  if (config.store.kind === 'sqlite') return new SqliteOwnershipStore(config.store.path);
  return createSalesforceStore({
    config: config.store,
    unknownCustomer: config.reconcile.unknownCustomer,
    recorder,
    logger: logger.child({ adapter: 'salesforce' }),
  });
}

/**
 * The composition root: the only place where adapters meet use cases. Every
 * entry point (CLI serve/worker, tests, benchmarks, demo) builds the bridge here.
 */
export async function createBridge(
  config: Config,
  overrides: BridgeOverrides = {},
  roles: BridgeRoles = { web: true, worker: true },
): Promise<Bridge> {
  const logger = overrides.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const clock = overrides.clock ?? systemClock;
  const recorder = callRecorder(metrics);
  const store = overrides.store ?? createStore(config, recorder, logger);
  const genesys = config.genesys.enabled
    ? createGenesysAdapters({
        config: config.genesys,
        recorder,
        logger,
        availabilityCacheSeconds: config.lookup.availabilityCacheSeconds,
      })
    : null;
  const conversations =
    overrides.conversations !== undefined
      ? overrides.conversations
      : (genesys?.conversations ?? null);
  const { prefix } = config.redis;

  const cacheRedis = createRedis(config.redis.url, 'cache');
  const producerRedis = createRedis(config.redis.url, 'producer');
  const subscriberRedis = createRedis(config.redis.url, 'subscriber');
  // Fail-fast connections need a moment to connect, or the first requests after
  // start-up all miss. A Redis that is down is not fatal: /readyz says why.
  await Promise.all([
    waitUntilReady(cacheRedis, 2000),
    waitUntilReady(producerRedis, 2000),
    waitUntilReady(subscriberRedis, 2000),
  ]);

  const sharedCache = new RedisCustomerCache(cacheRedis, {
    prefix,
    ttlSeconds: config.lookup.cacheTtlSeconds,
    negativeTtlSeconds: config.lookup.negativeCacheTtlSeconds,
    onResult: (result) => metrics.cacheLookups.inc({ result }),
  });
  const cache = new NearCache(sharedCache, cacheRedis, subscriberRedis, {
    channel: `${prefix}:owner-changed`,
  });
  const lookup = new LookupService({
    store,
    cache,
    availability: overrides.availability ?? genesys?.availability ?? unknownAvailability,
    clock,
    policy: config.policy,
    deadlineMs: config.lookup.deadlineMs,
    onStoreError: (error) =>
      logger.warn({ err: error }, 'store read failed; answering crm_unavailable'),
  });
  const queue = createReconcileQueue(producerRedis, prefix);
  queue.on('error', () => {}); // surfaced through 503s and /readyz
  const events = new RedisEventLog(producerRedis, prefix);
  const ingest = new IngestService({
    events,
    queue,
    clock,
    settings: { delayMs: config.reconcile.delayMs, attempts: config.reconcile.attempts },
  });

  const readiness = [
    { name: 'redis', check: async () => void (await cacheRedis.ping()) },
    { name: store.kind, check: () => store.ping() },
  ];
  const openApi = buildOpenApi({ version: VERSION });
  const app = buildApp({
    lookup,
    apiTokens: config.http.apiTokens,
    metrics,
    logger,
    readiness,
    openApi,
    routers: [
      eventsRouter({
        ingest,
        filter: { messageTypes: config.reconcile.messageTypes },
        maxBytes: config.http.eventsMaxBytes,
        metrics,
        logger,
      }),
    ],
  });
  metrics.setQueueCounts(() => queue.getJobCounts('waiting', 'delayed', 'active', 'failed'));

  let server: Server | undefined;
  let serverApp: Express = app;
  let worker: Worker | null = null;
  let workerRedis: Redis | null = null;
  let lockRedis: Redis | null = null;
  let batcher: CommitBatcher | null = null;

  const bridge: Bridge = {
    config,
    app,
    logger,
    metrics,
    store,
    redis: { cache: cacheRedis, producer: producerRedis },
    lookup,
    ingest,
    queue,
    genesys,
    get worker() {
      return worker;
    },
    listen: async () => {
      const bound = await startServer(app.listener, app, config.http.port, config.http.host);
      ({ server, app: serverApp } = bound);
      return bound.port;
    },
    listenOps: async (port) => {
      const opsApp = express();
      opsApp.disable('x-powered-by');
      opsApp.use(opsRouter({ metrics, readiness, openApi }));
      const bound = await startServer(opsApp, opsApp, port, config.http.host);
      ({ server, app: serverApp } = bound);
      return bound.port;
    },
    startWorker: async () => {
      workerRedis = createRedis(config.redis.url, 'worker');
      lockRedis = createRedis(config.redis.url, 'worker');
      batcher = new CommitBatcher(store, { windowMs: config.reconcile.batchWindowMs });
      const committer = batcher;
      const sweep = conversations
        ? () =>
            sweepEndedConversations({
              conversations,
              ingest,
              clock,
              windowMs: config.reconcile.sweepWindowMinutes * 60_000,
            })
        : null;
      worker = createReconcileWorker({
        connection: workerRedis,
        prefix,
        concurrency: config.reconcile.concurrency,
        lockDurationMs: config.reconcile.lockDurationMs,
        metrics,
        logger,
        clock,
        sweep,
        deps: {
          events: new RedisEventLog(lockRedis, prefix),
          conversations,
          names: genesys?.names ?? noNames,
          lock: new RedisCustomerLock(lockRedis, {
            prefix,
            ttlMs: config.reconcile.customerLockTtlMs,
          }),
          commit: (change) => committer.commit(change),
          cache,
          ownerRule: config.reconcile.ownerRule,
          logger,
        },
      });
      if (sweep) {
        await queue.upsertJobScheduler(
          'continuity-sweep',
          { every: config.reconcile.sweepEveryMinutes * 60_000 },
          { name: SWEEP_JOB, data: { conversationId: 'sweep', source: 'sweep', enqueuedAt: 0 } },
        );
      }
      void worker.run();
      await worker.waitUntilReady();
    },
    close: async () => {
      try {
        if (server) await drainServer(serverApp, server);
        // worker.close() waits for active jobs; their CRM writes must be flushed.
        const closingWorker = worker?.close();
        await batcher?.drain();
        await closingWorker;
        await queue.close().catch(() => {});
      } finally {
        // Connections and the store are released whatever failed above.
        for (const redis of [cacheRedis, producerRedis, subscriberRedis, workerRedis, lockRedis]) {
          redis?.disconnect();
        }
        await store.close();
      }
    },
  };
  if (roles.worker) {
    try {
      await bridge.startWorker();
    } catch (error) {
      await bridge.close().catch(() => {});
      throw error;
    }
  }
  return bridge;
}
